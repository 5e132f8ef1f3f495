package streaminfer.compare;

import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * How one output record of a family is compared between two result topics: which records pair up,
 * and what counts as a difference in the family's own terms. A family offers its comparators with
 * {@link streaminfer.family.FamilyModule#resultComparators} from its {@code tools} package; the
 * reading, joining, summary and exit status are {@link Comparison}'s.
 *
 * <p>Called from one thread; whatever accumulates goes into the {@link Tally}.
 *
 * @param <T> the record the topic's values hold
 */
public interface ResultComparator<T extends SpecificRecord> {
  /** The record class, whose schema's full name identifies the topic's values. */
  Class<T> recordType();

  /**
   * What tells the results of one Kafka key apart (a sequence number, a turn, an image index): the
   * key and this name one result in both topics.
   */
  String joinKey(T record);

  /** Every metric {@link #compare} and {@link #observe} record, in the summary's order. */
  List<Metric> metrics();

  /**
   * Compares two results of one input, recording what it measures in {@code tally}.
   *
   * @return one line per difference found, in the family's terms; empty when equal within {@code
   *     tolerances}
   */
  List<String> compare(T a, T b, Tolerances tolerances, Tally tally);

  /**
   * Sees every result read from one side, paired or not: for per-side rates.
   *
   * @param input the input the result answers, read from {@code --inputs}, when {@link #inputType}
   *     names one and it was found; else null
   */
  default void observe(Side side, T record, SpecificRecord input, Tally tally) {}

  /**
   * The input record a judgement needs besides the results (a dialogue's hidden target, which no
   * reply carries), read from {@code --inputs} when given; null: the results suffice.
   */
  default Class<? extends SpecificRecord> inputType() {
    return null;
  }

  /** For {@link #inputType}: the join key of the result that answers {@code input}. */
  default String inputJoinKey(SpecificRecord input) {
    throw new UnsupportedOperationException(getClass().getName() + " reads no inputs");
  }
}
