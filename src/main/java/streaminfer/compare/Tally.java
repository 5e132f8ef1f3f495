package streaminfer.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The running totals of a comparison's {@link Metric}s. Not thread-safe: a comparison runs on one
 * thread.
 */
public final class Tally {
  private final Map<String, Accumulator> accumulators = new LinkedHashMap<>();

  public Tally(List<Metric> metrics) {
    for (Metric metric : metrics) {
      if (accumulators.putIfAbsent(metric.name(), new Accumulator(metric)) != null) {
        throw new IllegalArgumentException("metric " + metric.name() + " is declared twice");
      }
    }
  }

  /** Adds {@code n} to a {@link Metric.Kind#COUNT} metric. */
  public void count(String metric, long n) {
    accumulator(metric, Metric.Kind.COUNT).add(n);
  }

  /** Adds one value to a {@link Metric.Kind#DISTRIBUTION} metric; NaN is refused. */
  public void observe(String metric, double value) {
    if (Double.isNaN(value)) {
      throw new IllegalArgumentException("metric " + metric + " observed NaN");
    }
    accumulator(metric, Metric.Kind.DISTRIBUTION).observe(value);
  }

  /** Adds one trial to a {@link Metric.Kind#RATE} metric, a hit or not. */
  public void rate(String metric, boolean hit) {
    accumulator(metric, Metric.Kind.RATE).trial(hit);
  }

  /** Every metric's value so far, in declaration order. */
  public List<MetricValue> values() {
    List<MetricValue> values = new ArrayList<>();
    accumulators.values().forEach(a -> values.add(a.value()));
    return values;
  }

  private Accumulator accumulator(String metric, Metric.Kind kind) {
    Accumulator accumulator = accumulators.get(metric);
    if (accumulator == null) {
      throw new IllegalArgumentException(
          "metric " + metric + " is not declared; declared: " + accumulators.keySet());
    }
    if (accumulator.metric.kind() != kind) {
      throw new IllegalArgumentException(
          "metric " + metric + " is a " + accumulator.metric.kind() + ", not a " + kind);
    }
    return accumulator;
  }

  /**
   * A metric's value: {@code n} is the count (COUNT), the number of values (DISTRIBUTION) or of
   * trials (RATE); {@code hits} only for RATE; {@code mean}, {@code min} and {@code max} only for a
   * DISTRIBUTION with values, NaN otherwise.
   */
  public record MetricValue(Metric metric, long n, long hits, double mean, double min, double max) {
    /** RATE: hits / trials; NaN without trials. */
    public double fraction() {
      return n == 0 ? Double.NaN : (double) hits / n;
    }
  }

  private static final class Accumulator {
    private final Metric metric;
    private long n;
    private long hits;
    private double sum;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;

    Accumulator(Metric metric) {
      this.metric = metric;
    }

    void add(long count) {
      if (count < 0) {
        throw new IllegalArgumentException("metric " + metric.name() + " counted " + count);
      }
      n += count;
    }

    void observe(double value) {
      n++;
      sum += value;
      min = Math.min(min, value);
      max = Math.max(max, value);
    }

    void trial(boolean hit) {
      n++;
      hits += hit ? 1 : 0;
    }

    MetricValue value() {
      boolean spread = metric.kind() == Metric.Kind.DISTRIBUTION && n > 0;
      return new MetricValue(
          metric,
          n,
          hits,
          spread ? sum / n : Double.NaN,
          spread ? min : Double.NaN,
          spread ? max : Double.NaN);
    }
  }
}
