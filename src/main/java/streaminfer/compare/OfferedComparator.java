package streaminfer.compare;

import java.util.Objects;

/** A comparator and the family that offers it. */
public record OfferedComparator(String family, ResultComparator<?> comparator) {
  public OfferedComparator {
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(comparator, "comparator");
  }

  /** The Avro full name of the record it compares, as writer schemas name it. */
  public String recordType() {
    return comparator.recordType().getName();
  }
}
