package streaminfer.runtime;

import java.util.List;

/**
 * Batches run when a model loads, before it serves, so ONNX Runtime makes its per-shape allocations
 * and kernel choices then rather than on the first records (Triton's model warmup).
 *
 * @param runs how many times each batch size is run; 0 turns warm-up off
 * @param batchSizes the batch sizes to run, e.g. 1 and the pipeline's maxBatchSize
 */
public record Warmup(int runs, List<Integer> batchSizes) {
  public Warmup {
    batchSizes = List.copyOf(batchSizes);
    if (runs < 0) {
      throw new IllegalArgumentException("warm-up runs must be >= 0, was " + runs);
    }
    if (runs > 0 && batchSizes.isEmpty()) {
      throw new IllegalArgumentException("warm-up runs " + runs + " batches but names no size");
    }
    if (batchSizes.stream().anyMatch(size -> size < 1)) {
      throw new IllegalArgumentException("warm-up batch sizes must be >= 1, were " + batchSizes);
    }
  }

  public static Warmup none() {
    return new Warmup(0, List.of());
  }

  /** Batches run in all. */
  public int batches() {
    return runs * batchSizes.size();
  }
}
