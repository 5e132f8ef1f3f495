package streaminfer.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import streaminfer.broker.Topics;
import streaminfer.codec.AvroCodec;
import streaminfer.codec.WriterSchemas;
import streaminfer.v1.DialogueReply;
import streaminfer.v1.DialogueTurn;

/**
 * A client of the dialogue pipeline, as a game front end would write one: sends turns keyed by game
 * id and collects every reply (all of them, duplicates included) by game and seq.
 */
public final class DialogueTestClient implements AutoCloseable {
  private final WriterSchemas schemas = WriterSchemas.v1();
  private final AvroCodec<DialogueTurn> turns = AvroCodec.forType(DialogueTurn.class, schemas);
  private final AvroCodec<DialogueReply> replies = AvroCodec.forType(DialogueReply.class, schemas);
  private final String turnsTopic;
  private final KafkaProducer<String, byte[]> producer;
  private final Map<String, List<byte[]>> received = new ConcurrentHashMap<>();
  private final List<DialogueReply> notices = new CopyOnWriteArrayList<>();
  private final Thread reader;
  private volatile boolean closed;

  public DialogueTestClient(String bootstrap, String turnsTopic, String repliesTopic) {
    this.turnsTopic = turnsTopic;
    Topics.ensure(bootstrap, List.of(turnsTopic, repliesTopic), 3);
    producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new StringSerializer(),
            new ByteArraySerializer());
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                "dialogue-client-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new StringDeserializer(),
            new ByteArrayDeserializer());
    consumer.subscribe(List.of(repliesTopic));
    reader =
        new Thread(
            () -> {
              try (consumer) {
                while (!closed) {
                  consumer.poll(Duration.ofMillis(100)).forEach(record -> keep(record.value()));
                }
              }
            },
            "dialogue-replies-reader");
    reader.setDaemon(true);
    reader.start();
  }

  private void keep(byte[] value) {
    DialogueReply reply = replies.decode(value);
    if (reply.getStatus() == streaminfer.v1.ReplyStatus.EVICTED) {
      notices.add(reply);
      return;
    }
    received
        .computeIfAbsent(
            reply.getGameId() + "#" + reply.getSeq(), key -> new CopyOnWriteArrayList<>())
        .add(value);
  }

  public void send(DialogueTurn turn) {
    producer.send(new ProducerRecord<>(turnsTopic, turn.getGameId(), turns.encode(turn)));
  }

  /** Sends raw bytes keyed by {@code key}: for records no client library would write. */
  public void sendRaw(String key, byte[] value) {
    producer.send(new ProducerRecord<>(turnsTopic, key, value));
  }

  /** Sends the turn and waits for its first reply. */
  public DialogueReply exchange(DialogueTurn turn, Duration deadline) {
    send(turn);
    return await(turn.getGameId(), turn.getSeq(), deadline);
  }

  public DialogueReply await(String gameId, long seq, Duration deadline) {
    long end = System.nanoTime() + deadline.toNanos();
    while (true) {
      List<byte[]> values = received.get(gameId + "#" + seq);
      if (values != null && !values.isEmpty()) {
        return replies.decode(values.get(0));
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("no reply to " + gameId + " seq " + seq + " within " + deadline);
      }
      sleep(10);
    }
  }

  /** Every reply received for one turn, as bytes: more than one after a redelivery. */
  public List<byte[]> repliesTo(String gameId, long seq) {
    return new ArrayList<>(received.getOrDefault(gameId + "#" + seq, List.of()));
  }

  public List<DialogueReply> evictionNotices() {
    return List.copyOf(notices);
  }

  public DialogueReply decode(byte[] value) {
    return replies.decode(value);
  }

  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    reader.join(5_000);
    producer.close();
  }
}
