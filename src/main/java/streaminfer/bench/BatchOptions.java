package streaminfer.bench;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;
import streaminfer.batch.BatchConfig;
import streaminfer.config.ConfigException;
import streaminfer.config.ConfigLoader;
import streaminfer.config.PipelineSettings;
import streaminfer.family.FamilyModules;
import streaminfer.runtime.SessionTuning;

/**
 * Picocli mixin: batching, backpressure and ORT threading of the pipelines a benchmark runs, taken
 * from a configured pipeline ({@code --config}, so a benchmark measures what {@code serve} runs),
 * with any of the flags below set overriding it; without a file, the flags and the defaults.
 */
public final class BatchOptions {
  @Option(
      names = "--config",
      description = "Take batching and threads from this configuration file's pipeline.")
  private Path config;

  @Option(
      names = "--pipeline",
      description = "The configured pipeline to take them from (default: the first of the family).")
  private String pipeline;

  @Option(names = "--max-batch-size", description = "Rows per ORT run (default 64).")
  private Integer maxBatchSize;

  @Option(
      names = "--max-batch-delay-ms",
      description = "Longest a row waits for a fuller batch (default 5).")
  private Long maxBatchDelayMillis;

  @Option(names = "--batch-concurrency", description = "Batches run at once (default 1).")
  private Integer batchConcurrency;

  @Option(
      names = "--max-in-flight",
      description =
          "Unacknowledged records per pipeline before the consumer pauses (default 1024).")
  private Integer maxInFlight;

  @Option(names = "--intra-op-threads", description = "ORT threads; 0: all (default 0).")
  private Integer intraOpThreads;

  /** The batching of the family's benchmarked pipeline; the queue holds what may be in flight. */
  public BatchConfig batchConfig(String family) {
    BatchConfig base =
        configured(family).map(PipelineSettings::batch).orElse(BatchConfig.defaults());
    return new BatchConfig(
        maxBatchSize != null ? maxBatchSize : base.maxBatchSize(),
        maxBatchDelayMillis != null ? maxBatchDelayMillis : base.maxBatchDelayMillis(),
        maxInFlight != null ? maxInFlight : base.queueCapacity(),
        batchConcurrency != null ? batchConcurrency : base.concurrency());
  }

  /** ORT intra-op threads of the family's benchmarked pipeline; 0: all cores. */
  public int intraOpThreads(String family) {
    if (intraOpThreads != null) {
      return intraOpThreads;
    }
    return configured(family).map(settings -> settings.tuning().intraOpThreads()).orElse(0);
  }

  public SessionTuning tuning(String family) {
    return new SessionTuning(intraOpThreads(family), 0);
  }

  private Optional<PipelineSettings> configured(String family) {
    if (config == null) {
      return Optional.empty();
    }
    return new ConfigLoader(FamilyModules.discover(), System.getenv())
        .load(Optional.of(config)).pipelines().stream()
            .filter(
                settings ->
                    pipeline != null
                        ? settings.name().equals(pipeline)
                        : settings.family().module().name().equals(family))
            .findFirst()
            .or(
                () -> {
                  throw new ConfigException(
                      "--pipeline",
                      config
                          + " configures no pipeline "
                          + (pipeline != null ? "named " + pipeline : "of family " + family));
                });
  }
}
