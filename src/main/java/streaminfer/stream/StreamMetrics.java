package streaminfer.stream;

import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.header.Header;

/**
 * What the stream layer reports; implemented by the ops package. Called on the event loop, but for
 * {@link #commitFailed} and {@link #consumerError}, also called on the consumer's poll thread.
 */
public interface StreamMetrics {
  void received(int partition, long offset);

  void produced(long recordTimestampMillis);

  void deadLettered(String reason);

  /**
   * A dead letter the broker acknowledged: its input's key and the headers that say why ({@link
   * DeadLetters}). Called after {@link #deadLettered}.
   */
  default void deadLetterSent(String key, List<Header> headers) {}

  /** A record the processor chose not to answer (a stale input in live mode). */
  void skipped();

  void inFlight(int records);

  /** A record the processor did not finish within its deadline; it is dead-lettered. */
  void timedOut();

  /** An offset commit failed (retried with the next one). */
  void commitFailed();

  /** The consumer failed, other than being woken up to close. */
  void consumerError();

  /** Partitions were assigned to or revoked from the pipeline's consumer ({@code event}). */
  default void rebalanced(String event, int partitions) {}

  /** Exposes the Kafka clients' own metrics until the binding is closed. */
  default Binding kafkaClients(Consumer<?, ?> consumer, Producer<?, ?> producer) {
    return Binding.NONE;
  }

  /** Meters bound to something that goes away: closing removes them. */
  interface Binding extends AutoCloseable {
    Binding NONE = () -> {};

    @Override
    void close();
  }

  StreamMetrics NONE =
      new StreamMetrics() {
        @Override
        public void received(int partition, long offset) {}

        @Override
        public void produced(long recordTimestampMillis) {}

        @Override
        public void deadLettered(String reason) {}

        @Override
        public void skipped() {}

        @Override
        public void inFlight(int records) {}

        @Override
        public void timedOut() {}

        @Override
        public void commitFailed() {}

        @Override
        public void consumerError() {}
      };
}
