package streaminfer.stream;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's consumer, running {@code fence} and the last commit on the poll thread before its
 * rebalance listener. Vert.x hands revocations to the event loop asynchronously, by which time this
 * consumer may have rejoined the group and another instance may restore the partition and resume
 * from its committed offset; so the state fence closes (writes already sent acknowledged) and the
 * revoked partitions' acknowledged positions are committed synchronously before the poll goes on,
 * as Kafka Streams commits and flushes in its own listener.
 *
 * <p>While {@link #hold held} every assigned partition is paused in the client, so a poll only
 * keeps the member in its group (Vert.x stops polling when its stream is paused, and a member that
 * does not poll within {@code max.poll.interval.ms} leaves the group). A {@link #KEEP_ALIVE} poll
 * never returns records, held or not: it is queued on the poll thread while the stream is held and
 * may run after the hold is lifted, and records it returned would bypass the stream's handler.
 *
 * <p>Threading: the consumer is not thread safe; every method but {@link #hold} runs on the Vert.x
 * consumer thread.
 */
final class FencingConsumer extends KafkaConsumer<String, byte[]> {
  private static final Logger LOG = LoggerFactory.getLogger(FencingConsumer.class);

  /**
   * The timeout that marks a keep-alive poll; Vert.x's own loop polls with its {@code pollTimeout},
   * which is positive.
   */
  static final Duration KEEP_ALIVE = Duration.ZERO;

  // The last commit has happened before the close; what is left (leaving the group) is bounded
  // well below a drain's budget, so a fenced or unreachable member does not hold a stop 30 s.
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private final Consumer<Collection<TopicPartition>> fence;
  private final AcknowledgedPositions positions;
  private final StreamMetrics metrics;
  private final Optional<Handover> handover;
  // Written on the poll thread, read by the event loop when it commits a transaction.
  private volatile ConsumerGroupMetadata group;
  // Written on the event loop, read on the poll thread.
  private volatile boolean held;
  // Poll thread only: the poll under way may hand out no records.
  private boolean withholding;

  FencingConsumer(
      Map<String, Object> config,
      Consumer<Collection<TopicPartition>> fence,
      AcknowledgedPositions positions,
      StreamMetrics metrics,
      Optional<Handover> handover) {
    super(config, new StringDeserializer(), new ByteArrayDeserializer());
    this.fence = fence;
    this.positions = positions;
    this.metrics = metrics;
    this.handover = handover;
    this.group = groupMetadata();
  }

  /**
   * How an exactly-once pipeline hands revoked partitions over: their last offsets go into its
   * transaction instead of a commit of their own. Both calls block the poll thread until done.
   */
  interface Handover {
    /**
     * From now on no record of these partitions goes to the processor; those it has are finished.
     */
    void retire(Collection<TopicPartition> partitions);

    /** The open transaction commits, with these partitions' acknowledged positions. */
    void commit(Collection<TopicPartition> partitions);
  }

  /** The group generation and member as of the last poll, for a transaction's offsets. */
  ConsumerGroupMetadata lastGroupMetadata() {
    return group;
  }

  /**
   * True: from the next poll on, every assigned partition is paused and polls return no records.
   */
  void hold(boolean held) {
    this.held = held;
  }

  @Override
  public ConsumerRecords<String, byte[]> poll(Duration timeout) {
    withholding = held || KEEP_ALIVE.equals(timeout);
    if (withholding) {
      pause(assignment());
    } else if (!paused().isEmpty()) {
      resume(paused());
    }
    ConsumerRecords<String, byte[]> records = super.poll(timeout);
    group = groupMetadata();
    return records;
  }

  @Override
  public void close() {
    close(CloseOptions.timeout(CLOSE_TIMEOUT));
  }

  /** Subscribes through {@link #subscribe(Collection, ConsumerRebalanceListener)}: fenced too. */
  @Override
  public void subscribe(Collection<String> topics) {
    subscribe(
        topics,
        new ConsumerRebalanceListener() {
          @Override
          public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

          @Override
          public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}
        });
  }

  @Override
  public void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
    super.subscribe(
        topics,
        new ConsumerRebalanceListener() {
          @Override
          public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (handover.isPresent()) {
              // The records being processed finish and commit before the state fence closes: a
              // state write in the transaction always comes with its record's offset.
              handover.get().retire(partitions);
              handover.get().commit(partitions);
              fence.accept(partitions);
              positions.revoked(partitions);
            } else {
              fence.accept(partitions);
              commitRevoked(partitions);
            }
            listener.onPartitionsRevoked(partitions);
          }

          @Override
          public void onPartitionsLost(Collection<TopicPartition> partitions) {
            fence.accept(partitions);
            // Owned by another member already: a commit now could only move its offsets back.
            positions.revoked(partitions);
            listener.onPartitionsLost(partitions);
          }

          @Override
          public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            positions.assigned(partitions);
            // Assigned during a poll that may hand out no records.
            if (withholding || held) {
              pause(partitions);
            }
            // Where each partition resumes (committed offset, else the reset policy) is looked up
            // now, before the pipeline reports itself ready, not on the first fetch after that.
            partitions.forEach(FencingConsumer.this::position);
            listener.onPartitionsAssigned(partitions);
          }
        });
  }

  /**
   * The last commit of revoked partitions: what the event loop has acknowledged so far. Records
   * acknowledged later are redelivered to the new owner (at least once).
   */
  private void commitRevoked(Collection<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> offsets = positions.revoked(partitions);
    if (offsets.isEmpty()) {
      return;
    }
    try {
      commitSync(offsets);
    } catch (KafkaException e) {
      metrics.commitFailed();
      LOG.warn("commit of revoked partitions {} failed; they will be redelivered", offsets, e);
    }
  }
}
