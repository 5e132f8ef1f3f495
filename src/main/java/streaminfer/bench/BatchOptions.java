package streaminfer.bench;

import picocli.CommandLine.Option;
import streaminfer.batch.BatchConfig;
import streaminfer.runtime.SessionTuning;

/** Picocli mixin: batching, backpressure and ORT threading of the pipelines a benchmark runs. */
public final class BatchOptions {
  @Option(names = "--max-batch-size", defaultValue = "64", description = "Rows per ORT run.")
  private int maxBatchSize;

  @Option(
      names = "--max-batch-delay-ms",
      defaultValue = "5",
      description = "Longest a row waits for a fuller batch.")
  private long maxBatchDelayMillis;

  @Option(names = "--batch-concurrency", defaultValue = "1", description = "Batches run at once.")
  private int batchConcurrency;

  @Option(
      names = "--max-in-flight",
      defaultValue = "1024",
      description = "Unacknowledged records per pipeline before the consumer pauses.")
  private int maxInFlight;

  @Option(names = "--intra-op-threads", defaultValue = "0", description = "ORT threads; 0: all.")
  private int intraOpThreads;

  /** The batcher's queue holds exactly what the ingress lets in flight. */
  public BatchConfig batchConfig() {
    return new BatchConfig(maxBatchSize, maxBatchDelayMillis, maxInFlight, batchConcurrency);
  }

  /** ORT intra-op threads; 0: all cores. */
  public int intraOpThreads() {
    return intraOpThreads;
  }

  public SessionTuning tuning() {
    return new SessionTuning(intraOpThreads, 0);
  }
}
