package streaminfer.stream;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Turns one input record into its outputs: none (skipped on purpose: counts as done for the
 * committed offset), one ({@link Output#one}, the common case) or several, to any of the pipeline's
 * declared output topics. A failed stage (or a thrown exception) is dead-lettered with that
 * exception as the reason. The stream layer never looks inside values.
 *
 * <p>A stateful processor keeps its state in the stream layer's stores (see {@code
 * streaminfer.stream.state}); the stream layer restores a partition's state before that partition's
 * first record is handed over.
 *
 * <p>Threading: called on the pipeline's event loop, so it must not block; the returned stage may
 * complete on any thread.
 */
@FunctionalInterface
public interface RecordProcessor extends AutoCloseable {
  /**
   * @param partition the input partition: a stateful processor keeps its state co-partitioned
   */
  CompletionStage<List<Output>> process(int partition, String key, byte[] value);

  /** Called once the pipeline has drained. */
  @Override
  default void close() {}
}
