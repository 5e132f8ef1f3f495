package streaminfer.stream.state;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import streaminfer.broker.Topics;

/**
 * The stores of one pipeline: opens them (creating their compacted changelogs) and restores a
 * partition of all of them together, for the ownership term it was assigned in.
 *
 * <p>A restore retries broker errors ({@value #RESTORE_ATTEMPTS} attempts, {@code RESTORE_BACKOFF}
 * apart) and gives up early once its term is over; a failed restore is surfaced to the records
 * waiting for it and forgotten, so the partition's next record tries again. A restore that ends
 * after its term is discarded rather than installed.
 *
 * <p>Threading: restores run on one thread of their own; the other methods on any thread.
 */
final class ChangelogStores implements StateStores {
  private static final Logger LOG = LoggerFactory.getLogger(ChangelogStores.class);
  private static final int RESTORE_ATTEMPTS = 30;
  private static final Duration RESTORE_BACKOFF = Duration.ofSeconds(1);

  private final Map<String, String> kafka;
  private final UnaryOperator<String> topicName;
  private final String inputTopic;
  private final PartitionFence fence;
  private final PartitionWriter writer;
  private final ChangelogReader reader;
  private final List<ChangelogStore<?>> stores = new CopyOnWriteArrayList<>();
  private final Map<Integer, CompletableFuture<Void>> restores = new HashMap<>();
  private final ExecutorService restorer;

  ChangelogStores(
      Map<String, String> kafka,
      UnaryOperator<String> topicName,
      String inputTopic,
      PartitionFence fence,
      PartitionWriter writer) {
    this.kafka = Map.copyOf(kafka);
    this.topicName = topicName;
    this.inputTopic = inputTopic;
    this.fence = fence;
    this.writer = writer;
    this.reader = new ChangelogReader(kafka);
    this.restorer =
        Executors.newSingleThreadExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "state-restore-" + inputTopic);
              thread.setDaemon(true);
              return thread;
            });
  }

  @Override
  public <V> KeyValueStore<V> open(String name, StateCodec<V> codec) {
    String topic = topicName.apply(name);
    int partitions = Topics.partitions(kafka, inputTopic);
    Topics.ensure(
        kafka,
        List.of(topic),
        partitions,
        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    int changelogPartitions = Topics.partitions(kafka, topic);
    if (changelogPartitions < partitions) {
      throw new IllegalStateException(
          topic
              + " has "
              + changelogPartitions
              + " partitions but "
              + inputTopic
              + " has "
              + partitions
              + "; a changelog needs one partition per input partition");
    }
    ChangelogStore<V> store = new ChangelogStore<>(topic, codec, fence, writer);
    stores.add(store);
    return store;
  }

  boolean isEmpty() {
    return stores.isEmpty();
  }

  void assigned(int partition) {
    fence.assign(partition);
    if (!stores.isEmpty()) {
      restored(partition);
    }
  }

  void revoked(int partition) {
    fence.revoke(partition, () -> stores.forEach(store -> store.drop(partition)));
    synchronized (restores) {
      restores.remove(partition);
    }
  }

  /** Completes once the partition's entries are in memory; starts (or retries) its restore. */
  CompletableFuture<Void> restored(int partition) {
    synchronized (restores) {
      CompletableFuture<Void> restore = restores.get(partition);
      if (restore != null) {
        return restore;
      }
      long term = fence.term(partition);
      if (term < 0) {
        return CompletableFuture.failedFuture(new PartitionRevokedException(partition));
      }
      CompletableFuture<Void> started =
          CompletableFuture.runAsync(() -> restoreWithRetries(partition, term), restorer);
      restores.put(partition, started);
      started.whenComplete(
          (done, failure) -> {
            if (failure != null) {
              synchronized (restores) {
                restores.remove(partition, started);
              }
            }
          });
      return started;
    }
  }

  private void restoreWithRetries(int partition, long term) {
    for (int attempt = 1; ; attempt++) {
      if (fence.term(partition) != term) {
        throw new PartitionRevokedException(partition);
      }
      try {
        restore(partition, term);
        return;
      } catch (KafkaException e) {
        if (attempt == RESTORE_ATTEMPTS) {
          throw e;
        }
        LOG.warn(
            "restoring partition {} of {} failed (attempt {} of {}); retrying",
            partition,
            inputTopic,
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

  private void restore(int partition, long term) {
    List<Runnable> installs = new ArrayList<>();
    int entries = 0;
    for (ChangelogStore<?> store : stores) {
      Map<String, byte[]> latest = reader.read(store.topic(), partition);
      entries += latest.size();
      installs.add(store.restore(partition, latest));
    }
    if (!fence.inTerm(partition, term, () -> installs.forEach(Runnable::run))) {
      LOG.info("partition {} of {} was revoked while restoring; discarded", partition, inputTopic);
      throw new PartitionRevokedException(partition);
    }
    LOG.info("restored {} entries of partition {} of {}", entries, partition, inputTopic);
  }

  void close() {
    restorer.shutdownNow();
  }
}
