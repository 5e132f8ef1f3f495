package streaminfer.cli;

import picocli.CommandLine.Option;
import streaminfer.batch.BatchConfig;
import streaminfer.runtime.SessionTuning;

/** Batching, backpressure and ORT threading, shared by the commands that run pipelines. */
final class BatchOptions {
  @Option(names = "--max-batch-size", defaultValue = "64", description = "Rows per ORT run.")
  int maxBatchSize;

  @Option(
      names = "--max-batch-delay-ms",
      defaultValue = "5",
      description = "Longest a row waits for a fuller batch.")
  long maxBatchDelayMillis;

  @Option(names = "--batch-concurrency", defaultValue = "1", description = "Batches run at once.")
  int batchConcurrency;

  @Option(
      names = "--max-in-flight",
      defaultValue = "1024",
      description = "Unacknowledged records per pipeline before the consumer pauses.")
  int maxInFlight;

  @Option(names = "--intra-op-threads", defaultValue = "0", description = "ORT threads; 0: all.")
  int intraOpThreads;

  /** The batcher's queue holds exactly what the ingress lets in flight. */
  BatchConfig batchConfig() {
    return new BatchConfig(maxBatchSize, maxBatchDelayMillis, maxInFlight, batchConcurrency);
  }

  SessionTuning tuning() {
    return new SessionTuning(intraOpThreads, 0);
  }
}
