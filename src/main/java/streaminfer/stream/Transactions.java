package streaminfer.stream;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An exactly-once pipeline's transactions on its (transactional) producer. One is always open:
 * everything the pipeline sends goes into it, and {@link #commit} closes it with the input offsets
 * those sends answer and opens the next. The offsets are committed with the consumer's group
 * metadata, so a member that lost its partitions in a rebalance (a zombie) cannot commit them.
 *
 * <p>Threading: the producer's transaction calls block, so they run on a thread of their own, never
 * on an event loop; callers must not send while a call is under way.
 */
final class Transactions implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);
  private final Producer<String, byte[]> producer;
  private final ExecutorService thread;

  Transactions(Producer<String, byte[]> producer, String name) {
    this.producer = producer;
    this.thread =
        Executors.newSingleThreadExecutor(
            runnable -> {
              Thread worker = new Thread(runnable, "transactions-" + name);
              worker.setDaemon(true);
              return worker;
            });
  }

  /**
   * Registers the producer's transactional id, which aborts a transaction a previous holder left
   * open, and opens the first transaction.
   */
  CompletableFuture<Void> begin() {
    return CompletableFuture.runAsync(
        () -> {
          producer.initTransactions();
          producer.beginTransaction();
        },
        thread);
  }

  /**
   * Commits the open transaction with {@code offsets} (the next offset to read per input partition)
   * and, if {@code reopen}, opens the next one. A failed commit is aborted: what the transaction
   * held is never seen by a {@code read_committed} consumer, and its inputs are read again from the
   * last committed offsets.
   */
  CompletableFuture<Void> commit(
      Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group, boolean reopen) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            if (!offsets.isEmpty()) {
              producer.sendOffsetsToTransaction(offsets, group);
            }
            producer.commitTransaction();
          } catch (KafkaException e) {
            abortAfter(e);
            throw e;
          }
          if (reopen) {
            producer.beginTransaction();
          }
        },
        thread);
  }

  private void abortAfter(KafkaException failure) {
    try {
      producer.abortTransaction();
    } catch (KafkaException e) {
      // Fenced or fatal: the coordinator aborts the transaction when it times out.
      failure.addSuppressed(e);
      LOG.debug("the failed transaction could not be aborted", e);
    }
  }

  @Override
  public void close() {
    thread.shutdown();
  }
}
