package streaminfer.compare;

/**
 * One quantity a {@link ResultComparator} reports, named in the family's own terms ("missing", "max
 * pixel difference"), and how its observations add up over a comparison.
 *
 * @param name shown in the summary table and as the key of the JSON report; unique per comparator
 * @param kind how observations combine
 * @param description one line for the JSON report: what is counted or measured, with its units
 */
public record Metric(String name, Kind kind, String description) {
  /** How a metric's observations combine. */
  public enum Kind {
    /** Summed: things found (missing, new, changed). */
    COUNT,
    /** Observed values: how many, their mean, minimum and maximum. */
    DISTRIBUTION,
    /** Hits out of trials, shown as a fraction (success or agreement rate). */
    RATE
  }

  public Metric {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a metric needs a name");
    }
    if (kind == null) {
      throw new IllegalArgumentException("metric " + name + " needs a kind");
    }
    description = description == null ? "" : description;
  }

  public static Metric count(String name, String description) {
    return new Metric(name, Kind.COUNT, description);
  }

  public static Metric distribution(String name, String description) {
    return new Metric(name, Kind.DISTRIBUTION, description);
  }

  public static Metric rate(String name, String description) {
    return new Metric(name, Kind.RATE, description);
  }
}
