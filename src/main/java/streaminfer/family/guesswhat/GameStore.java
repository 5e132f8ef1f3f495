package streaminfer.family.guesswhat;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import streaminfer.codec.AvroCodec;
import streaminfer.v1.GameState;

/**
 * Every game's state, in memory and on a compacted topic keyed by game id. A game's state record
 * goes to the same partition number as its turns, so the owner of an input partition restores
 * exactly its games from one state partition (before handling that partition's first turn). The
 * sender is the caller's to close.
 */
final class GameStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GameStore.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final int RESTORE_ATTEMPTS = 30;
  private static final Duration RESTORE_BACKOFF = Duration.ofSeconds(1);

  /** A game and the partition it lives on. */
  record Entry(int partition, Game game) {}

  private final Map<String, String> kafka;
  private final String topic;
  private final AvroCodec<GameState> codec;
  private final GameSpec spec;
  private final PartitionedSender sender;
  private final Map<String, Entry> games = new ConcurrentHashMap<>();
  private final Map<Integer, CompletableFuture<Void>> restored = new ConcurrentHashMap<>();
  private final Scheduler restorer = Schedulers.newSingle("game-restore", true);

  GameStore(
      Map<String, String> kafka,
      String topic,
      AvroCodec<GameState> codec,
      GameSpec spec,
      PartitionedSender sender) {
    this.kafka = Map.copyOf(kafka);
    this.topic = topic;
    this.codec = codec;
    this.spec = spec;
    this.sender = sender;
  }

  String topic() {
    return topic;
  }

  /** Completes once the games of {@code partition} are loaded; loads them on first call. */
  CompletableFuture<Void> restored(int partition) {
    return restored.computeIfAbsent(
        partition,
        p -> CompletableFuture.runAsync(() -> restoreWithRetries(p), restorer::schedule));
  }

  /** The partitions were revoked: their games belong to another engine from now on. */
  void forget(Set<Integer> partitions) {
    partitions.forEach(restored::remove);
    games.values().removeIf(entry -> partitions.contains(entry.partition()));
  }

  Game get(String gameId) {
    Entry entry = games.get(gameId);
    return entry == null ? null : entry.game();
  }

  /** Keeps the game and completes once its state record is acknowledged by the broker. */
  CompletableFuture<Void> save(int partition, Game game) {
    games.put(game.gameId, new Entry(partition, game));
    return send(partition, game.gameId, codec.encode(game.toState()));
  }

  /** Forgets the game and writes its tombstone. */
  CompletableFuture<Void> delete(int partition, String gameId) {
    games.remove(gameId);
    return send(partition, gameId, null);
  }

  /** Games idle since before {@code cutoff}, then the oldest beyond {@code capacity}. */
  List<Entry> evictable(long cutoff, int capacity) {
    List<Entry> byAge =
        games.values().stream()
            .sorted(Comparator.comparingLong(entry -> entry.game().lastActivityMillis))
            .toList();
    int overCapacity = Math.max(0, byAge.size() - capacity);
    return IntStream.range(0, byAge.size())
        .filter(i -> i < overCapacity || byAge.get(i).game().lastActivityMillis < cutoff)
        .mapToObj(byAge::get)
        .toList();
  }

  int size() {
    return games.size();
  }

  private CompletableFuture<Void> send(int partition, String gameId, byte[] value) {
    return sender.send(topic, partition, gameId, value);
  }

  /**
   * A partition's turns wait for its games, so a broker hiccup while loading them is retried rather
   * than failing (and dead-lettering) every turn behind it.
   */
  private void restoreWithRetries(int partition) {
    for (int attempt = 1; ; attempt++) {
      try {
        restore(partition);
        return;
      } catch (KafkaException e) {
        if (attempt == RESTORE_ATTEMPTS) {
          throw e;
        }
        LOG.warn(
            "loading the games of {}-{} failed (attempt {} of {}); retrying",
            topic,
            partition,
            attempt,
            RESTORE_ATTEMPTS,
            e);
        try {
          Thread.sleep(RESTORE_BACKOFF.toMillis());
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private void restore(int partition) {
    Map<String, Object> props = new HashMap<>(kafka);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    TopicPartition source = new TopicPartition(topic, partition);
    int loaded = 0;
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(source));
      consumer.seekToBeginning(List.of(source));
      long end = consumer.endOffsets(List.of(source)).get(source);
      while (consumer.position(source) < end) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
          if (record.value() == null) {
            games.remove(record.key());
          } else {
            loaded += load(partition, record);
          }
        }
      }
    }
    LOG.info("restored {} game states from {}-{}", loaded, topic, partition);
  }

  private int load(int partition, ConsumerRecord<String, byte[]> record) {
    try {
      Game game = Game.restore(codec.decode(record.value()), spec);
      games.put(game.gameId, new Entry(partition, game));
      return 1;
    } catch (RuntimeException e) {
      LOG.error(
          "game state of {} at {}-{}@{} cannot be read; the game is lost",
          record.key(),
          topic,
          partition,
          record.offset(),
          e);
      games.remove(record.key());
      return 0;
    }
  }

  @Override
  public void close() {
    restorer.dispose();
  }
}
