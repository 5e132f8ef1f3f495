package streaminfer.stream;

import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Turns one input record's value into its output value. A failed stage (or a thrown exception) is
 * dead-lettered with that exception as the reason; a stage completed with {@code null} means the
 * record is skipped on purpose: it gets no output but counts as done for the committed offset. The
 * stream layer never looks inside values.
 *
 * <p>Threading: called on the pipeline's event loop, so it must not block; the returned stage may
 * complete on any thread.
 */
@FunctionalInterface
public interface RecordProcessor extends AutoCloseable {
  /**
   * @param partition the input partition: a stateful processor keeps its state co-partitioned
   */
  CompletionStage<byte[]> process(int partition, String key, byte[] value);

  /** The consumer now owns these input partitions (before their first record is handed over). */
  default void partitionsAssigned(Set<Integer> partitions) {}

  /** The consumer no longer owns these input partitions; state kept for them is stale from now. */
  default void partitionsRevoked(Set<Integer> partitions) {}

  /** Called once the pipeline has drained. */
  @Override
  default void close() {}
}
