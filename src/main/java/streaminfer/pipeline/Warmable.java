package streaminfer.pipeline;

import java.util.List;
import streaminfer.runtime.Warmup;

/**
 * A processor that can run sample inputs end to end before it serves (decode, preprocessing,
 * inference, postprocessing, encoding), so the first records of a fresh engine do not pay for class
 * loading, native library loading and the JIT. Outputs are discarded; nothing reaches Kafka.
 */
public interface Warmable {
  /**
   * Runs {@code samples} in batches of each of {@code warmup}'s sizes, {@code warmup.runs()} times
   * each, cycling through the samples; returns the number of samples offered (one the task refused
   * or skipped included).
   */
  int warmUp(List<byte[]> samples, Warmup warmup);
}
