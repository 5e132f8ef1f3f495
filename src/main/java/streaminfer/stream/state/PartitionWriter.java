package streaminfer.stream.state;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * State and emitted records to an explicit partition (the input's partition number), through the
 * pipeline's own producer ({@code acks=all}, idempotent), attached once the pipeline starts.
 *
 * <p>Threading: any thread (the Kafka producer is thread safe). Acknowledgements complete on {@code
 * acks}, never on the producer's I/O thread: a continuation that sends again would block there
 * waiting for metadata only that thread can fetch.
 */
final class PartitionWriter {
  private final Executor acks;
  private volatile Producer<String, byte[]> producer;

  PartitionWriter(Executor acks) {
    this.acks = acks;
  }

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
          (metadata, error) -> acknowledge(sent, error));
    } catch (RuntimeException e) {
      // A closed producer or an oversized record throws instead of calling back.
      sent.completeExceptionally(e);
    }
    return sent;
  }

  private void acknowledge(CompletableFuture<Void> sent, Exception error) {
    Runnable complete =
        () -> {
          if (error == null) {
            sent.complete(null);
          } else {
            sent.completeExceptionally(error);
          }
        };
    try {
      acks.execute(complete);
    } catch (RejectedExecutionException closing) {
      complete.run();
    }
  }
}
