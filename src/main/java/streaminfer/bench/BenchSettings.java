package streaminfer.bench;

import streaminfer.batch.BatchConfig;
import streaminfer.config.ConfigBuilder;

/** The benchmark's batching flags as the engine configuration's keys. */
public final class BenchSettings {
  private BenchSettings() {}

  public static ConfigBuilder withBatch(ConfigBuilder builder, BatchConfig batch) {
    return builder
        .defaults("batch.maxSize", batch.maxBatchSize())
        .defaults("batch.maxDelayMillis", batch.maxBatchDelayMillis())
        .defaults("batch.concurrency", batch.concurrency())
        .defaults("batch.maxInFlight", batch.queueCapacity());
  }
}
