package streaminfer.stream;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Outputs not caused by an input record (a timer's notices). Fenced like state writes: a send for
 * an input partition this instance no longer owns is refused with {@link
 * streaminfer.stream.state.PartitionRevokedException} and nothing is sent.
 *
 * <p>Threading: callable from any thread.
 */
public interface Emitter {
  /**
   * Sends to partition {@code partition} of {@code topic} (co-partitioned with the input), which
   * must be one of the pipeline's output topics; completes once the broker acknowledged it.
   */
  CompletionStage<Void> send(int partition, String topic, String key, byte[] value);

  /**
   * Runs {@code sends} (this emitter's sends and state writes, all for {@code partition}) under one
   * ownership check, so a revocation finds either all of them sent or none: e.g. an eviction notice
   * and the tombstone of what it evicts. {@code sends} must start every send without waiting for
   * another's acknowledgement; refused, like a send, when the partition is not owned.
   */
  <T> CompletionStage<T> together(int partition, Supplier<CompletionStage<T>> sends);
}
