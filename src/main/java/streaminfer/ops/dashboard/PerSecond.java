package streaminfer.ops.dashboard;

import java.util.ArrayList;
import java.util.List;

/**
 * Values gathered per whole second over a fixed window: the points of a sparkline. Memory is fixed
 * (one slot per second of the window, reused as seconds pass).
 *
 * <p>Not thread-safe: its owner guards it.
 */
final class PerSecond {
  private final int seconds;
  private final long[] stamps;
  private final double[] sums;
  private final long[] counts;
  // Seconds before the first value are unknown, not zero: a stream followed for 5 s has 5 points.
  private long firstSecond = Long.MAX_VALUE;

  PerSecond(int seconds) {
    if (seconds < 1) {
      throw new IllegalArgumentException("the window needs at least one second, was " + seconds);
    }
    this.seconds = seconds;
    this.stamps = new long[seconds];
    this.sums = new double[seconds];
    this.counts = new long[seconds];
    java.util.Arrays.fill(stamps, -1);
  }

  void add(long second, double value) {
    firstSecond = Math.min(firstSecond, second);
    int slot = (int) Math.floorMod(second, (long) seconds);
    if (stamps[slot] != second) {
      stamps[slot] = second;
      sums[slot] = 0;
      counts[slot] = 0;
    }
    sums[slot] += value;
    counts[slot]++;
  }

  /**
   * How many values each whole second before {@code now} got, oldest first; null before the first.
   */
  List<Double> counts(long now) {
    List<Double> points = new ArrayList<>(seconds);
    for (long second = now - seconds; second < now; second++) {
      int slot = (int) Math.floorMod(second, (long) seconds);
      if (second < firstSecond) {
        points.add(null);
      } else {
        points.add(stamps[slot] == second ? (double) counts[slot] : 0.0);
      }
    }
    return points;
  }

  /** The mean value of each whole second before {@code now}, oldest first; null: no value. */
  List<Double> means(long now) {
    List<Double> points = new ArrayList<>(seconds);
    for (long second = now - seconds; second < now; second++) {
      int slot = (int) Math.floorMod(second, (long) seconds);
      points.add(stamps[slot] == second ? sums[slot] / counts[slot] : null);
    }
    return points;
  }
}
