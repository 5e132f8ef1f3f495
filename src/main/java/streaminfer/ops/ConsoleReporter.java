package streaminfer.ops;

import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Prints one line per pipeline: throughput since the last line, latency percentiles, lag. */
public final class ConsoleReporter {
  private final List<PipelineMetrics> pipelines;
  private final PrintStream out;
  private final Map<String, double[]> previous = new HashMap<>();
  private long previousNanos = System.nanoTime();

  public ConsoleReporter(List<PipelineMetrics> pipelines, PrintStream out) {
    this.pipelines = List.copyOf(pipelines);
    this.out = out;
  }

  /** Called from one timer thread. */
  public void report() {
    long now = System.nanoTime();
    double seconds = Math.max(1e-9, (now - previousNanos) / 1e9);
    previousNanos = now;
    for (PipelineMetrics metrics : pipelines) {
      double in = metrics.recordsIn();
      double outCount = metrics.recordsOut();
      double[] before = previous.getOrDefault(metrics.pipeline(), new double[2]);
      previous.put(metrics.pipeline(), new double[] {in, outCount});
      out.printf(
          "%-9s in %7.0f/s  out %7.0f/s  total out %9.0f  dead-lettered %5.0f  skipped %5.0f"
              + "  latency p50 %s p99 %s  mean batch %5.1f  lag %d%n",
          metrics.pipeline(),
          (in - before[0]) / seconds,
          (outCount - before[1]) / seconds,
          outCount,
          metrics.deadLettered(),
          metrics.recordsSkipped(),
          percentile(metrics, 0.5),
          percentile(metrics, 0.99),
          metrics.meanBatchSize(),
          metrics.consumerLag());
    }
  }

  private static String percentile(PipelineMetrics metrics, double which) {
    for (ValueAtPercentile value : metrics.recordLatency().takeSnapshot().percentileValues()) {
      if (value.percentile() == which) {
        return String.format("%6.1f ms", value.value(TimeUnit.MILLISECONDS));
      }
    }
    return "     - ms";
  }
}
