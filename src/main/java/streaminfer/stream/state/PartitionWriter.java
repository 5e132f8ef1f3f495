package streaminfer.stream.state;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * State and emitted records to an explicit partition (the input's partition number), through the
 * pipeline's own producer ({@code acks=all}, idempotent), attached once the pipeline starts.
 *
 * <p>Threading: any thread (the Kafka producer is thread safe).
 */
final class PartitionWriter {
  private volatile Producer<String, byte[]> producer;

  void attach(Producer<String, byte[]> producer) {
    this.producer = producer;
  }

  /** A null value is a tombstone; completes on the broker's acknowledgement. */
  CompletableFuture<Void> send(String topic, int partition, String key, byte[] value) {
    Producer<String, byte[]> current = producer;
    if (current == null) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("the pipeline has not started; nothing can be written"));
    }
    CompletableFuture<Void> sent = new CompletableFuture<>();
    try {
      current.send(
          new ProducerRecord<>(topic, partition, key, value),
          (metadata, error) -> {
            if (error == null) {
              sent.complete(null);
            } else {
              sent.completeExceptionally(error);
            }
          });
    } catch (RuntimeException e) {
      // A closed producer or an oversized record throws instead of calling back.
      sent.completeExceptionally(e);
    }
    return sent;
  }
}
