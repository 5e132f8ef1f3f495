package streaminfer.compare;

/**
 * What still counts as equal when two results are compared.
 *
 * @param maxAbsDiff two numbers of a result (an expression value, a score, a box coordinate, a
 *     pixel value) whose absolute difference is at most this are equal; 0: only identical numbers
 * @param matchIou two boxes or masks of one class are the same object when their intersection over
 *     union is at least this (0..1]
 */
public record Tolerances(double maxAbsDiff, double matchIou) {
  public static final double DEFAULT_MATCH_IOU = 0.5;

  public Tolerances {
    if (!(maxAbsDiff >= 0) || Double.isInfinite(maxAbsDiff)) {
      throw new IllegalArgumentException("maxAbsDiff must be a number >= 0, not " + maxAbsDiff);
    }
    if (!(matchIou > 0 && matchIou <= 1)) {
      throw new IllegalArgumentException("matchIou must be in (0, 1], not " + matchIou);
    }
  }

  /** Exact equality, boxes matched at IoU 0.5. */
  public static Tolerances exact() {
    return new Tolerances(0, DEFAULT_MATCH_IOU);
  }

  /** Whether {@code a} and {@code b} differ by more than {@link #maxAbsDiff}. */
  public boolean differ(double a, double b) {
    return !(Math.abs(a - b) <= maxAbsDiff) && Double.compare(a, b) != 0;
  }
}
