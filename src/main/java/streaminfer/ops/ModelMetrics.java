package streaminfer.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import streaminfer.batch.BatchListener;

/**
 * The meters of one served model version: batch sizes, inference latency per batch, failed batches,
 * tagged {@code model} and {@code version} so that a hot reload's new version shows apart.
 */
public final class ModelMetrics implements BatchListener {
  private final DistributionSummary batchSize;
  private final Timer inferenceLatency;
  private final Counter failedBatches;

  public ModelMetrics(MeterRegistry registry, String model, int version) {
    String versionTag = Integer.toString(version);
    this.batchSize =
        DistributionSummary.builder("streaminfer.batch.size")
            .baseUnit("records")
            .tag("model", model)
            .tag("version", versionTag)
            .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256)
            .register(registry);
    this.inferenceLatency =
        Timer.builder("streaminfer.inference.latency")
            .description("one ONNX Runtime run of a whole batch")
            .tag("model", model)
            .tag("version", versionTag)
            .publishPercentileHistogram()
            .register(registry);
    this.failedBatches =
        registry.counter("streaminfer.batches.failed", "model", model, "version", versionTag);
  }

  @Override
  public void batchCompleted(int size, long nanos, boolean failed) {
    batchSize.record(size);
    inferenceLatency.record(nanos, TimeUnit.NANOSECONDS);
    if (failed) {
      failedBatches.increment();
    }
  }

  public double meanBatchSize() {
    return batchSize.mean();
  }

  DistributionSummary batchSize() {
    return batchSize;
  }
}
