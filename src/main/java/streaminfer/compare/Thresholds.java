package streaminfer.compare;

/**
 * When a comparison fails (exit status 1): the differences a CI run accepts.
 *
 * @param maxDifferingFraction of the results found in both topics, the fraction that may differ
 *     (0..1); 0: any difference fails
 * @param maxUnmatched results found in only one of the topics, plus unreadable records, that are
 *     accepted
 * @param minPaired fewer results found in both topics fail: two empty topics (a replay that
 *     produced nothing) must not pass
 */
public record Thresholds(double maxDifferingFraction, long maxUnmatched, long minPaired) {
  public Thresholds {
    if (!(maxDifferingFraction >= 0 && maxDifferingFraction <= 1)) {
      throw new IllegalArgumentException(
          "maxDifferingFraction must be in 0..1, not " + maxDifferingFraction);
    }
    if (maxUnmatched < 0) {
      throw new IllegalArgumentException("maxUnmatched must be >= 0, not " + maxUnmatched);
    }
    if (minPaired < 0) {
      throw new IllegalArgumentException("minPaired must be >= 0, not " + minPaired);
    }
  }

  /** Zero tolerance: the two topics must hold the same results, at least one. */
  public static Thresholds none() {
    return new Thresholds(0, 0, 1);
  }
}
