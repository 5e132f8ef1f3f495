package streaminfer.batch;

/**
 * How a model's requests are grouped into batches.
 *
 * @param maxBatchSize rows per run at most; a full batch runs at once
 * @param maxBatchDelayMillis the longest a row waits for others before a partial batch runs
 * @param queueCapacity rows waiting or running at most; the ingress pauses its consumer before this
 * @param concurrency batches of one model running at the same time
 */
public record BatchConfig(
    int maxBatchSize, long maxBatchDelayMillis, int queueCapacity, int concurrency) {
  public BatchConfig {
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("maxBatchSize must be >= 1, was " + maxBatchSize);
    }
    if (maxBatchDelayMillis < 0) {
      throw new IllegalArgumentException(
          "maxBatchDelayMillis must be >= 0, was " + maxBatchDelayMillis);
    }
    if (queueCapacity < maxBatchSize) {
      throw new IllegalArgumentException(
          "queueCapacity ("
              + queueCapacity
              + ") must hold at least one full batch ("
              + maxBatchSize
              + ")");
    }
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be >= 1, was " + concurrency);
    }
  }

  public static BatchConfig defaults() {
    return new BatchConfig(64, 5, 1024, 1);
  }
}
