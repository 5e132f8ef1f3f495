package streaminfer.stream;

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
public interface RecordProcessor {
  CompletionStage<byte[]> process(String key, byte[] value);
}
