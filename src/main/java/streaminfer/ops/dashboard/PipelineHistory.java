package streaminfer.ops.dashboard;

import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import streaminfer.ops.PipelineMetrics;

/**
 * A pipeline's recent past, read from its meters once a second (no bookkeeping of its own on the
 * record path): rates, lag, mean batch size and latency percentiles, the last {@code capacity}
 * samples.
 *
 * <p>Not thread-safe: sampled and read on the ops server's event loop.
 */
final class PipelineHistory {
  /**
   * One second of a pipeline.
   *
   * @param meanBatchSize records per batch of the batches that finished in that second; null when
   *     none did
   * @param p50Millis record latency (input timestamp to acknowledged output), null before any
   */
  record Sample(
      long atMillis,
      double inPerSecond,
      double outPerSecond,
      double deadLettersPerSecond,
      double skippedPerSecond,
      long lag,
      int inFlight,
      Double meanBatchSize,
      Double p50Millis,
      Double p99Millis) {}

  private final PipelineMetrics metrics;
  private final int capacity;
  private final Deque<Sample> samples = new ArrayDeque<>();
  private Totals previous;

  private record Totals(
      long nanos,
      double in,
      double out,
      double deadLetters,
      double skipped,
      long batches,
      double batchedRecords) {}

  PipelineHistory(PipelineMetrics metrics, int capacity) {
    this.metrics = metrics;
    this.capacity = capacity;
  }

  String pipeline() {
    return metrics.pipeline();
  }

  PipelineMetrics metrics() {
    return metrics;
  }

  /** Reads the meters; the first call only sets the baseline for the next. */
  void sample(long nowNanos, long nowMillis) {
    Totals now =
        new Totals(
            nowNanos,
            metrics.recordsIn(),
            metrics.recordsOut(),
            metrics.deadLettered(),
            metrics.recordsSkipped(),
            metrics.batches(),
            metrics.batchedRecords());
    Totals before = previous;
    previous = now;
    if (before == null || now.nanos() <= before.nanos()) {
      return;
    }
    double seconds = (now.nanos() - before.nanos()) / 1e9;
    long batchesDone = now.batches() - before.batches();
    if (samples.size() == capacity) {
      samples.removeFirst();
    }
    samples.addLast(
        new Sample(
            nowMillis,
            (now.in() - before.in()) / seconds,
            (now.out() - before.out()) / seconds,
            (now.deadLetters() - before.deadLetters()) / seconds,
            (now.skipped() - before.skipped()) / seconds,
            metrics.consumerLag(),
            metrics.inFlight(),
            batchesDone > 0 ? (now.batchedRecords() - before.batchedRecords()) / batchesDone : null,
            percentile(0.5),
            percentile(0.99)));
  }

  /** Oldest first. */
  List<Sample> samples() {
    return new ArrayList<>(samples);
  }

  private Double percentile(double which) {
    for (ValueAtPercentile value : metrics.recordLatency().takeSnapshot().percentileValues()) {
      if (value.percentile() == which && !Double.isNaN(value.value())) {
        return value.value(TimeUnit.MILLISECONDS);
      }
    }
    return null;
  }
}
