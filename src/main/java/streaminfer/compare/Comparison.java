package streaminfer.compare;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;

/**
 * Joins two result topics' decoded records by {@link ResultId} and compares each pair with the
 * family's {@link ResultComparator}. Side A is held in memory until B arrives, so every A record
 * (and input, when the family reads them) must come before the first B record; B streams through. A
 * result seen twice on one side (an at-least-once redelivery) counts once: the first one read is
 * compared, the others are counted as duplicates. Not thread-safe: one reader thread feeds it.
 */
public final class Comparison<T extends SpecificRecord> {
  private final String family;
  private final ResultComparator<T> comparator;
  private final Tolerances tolerances;
  private final int maxListed;
  private final String topicA;
  private final String topicB;
  private final Tally tally;
  private final Map<ResultId, T> pendingA = new LinkedHashMap<>();
  // Only with --inputs: what each result answers, for judgements the results alone cannot make.
  private final Map<ResultId, SpecificRecord> inputs = new HashMap<>();
  private long inputRecords;
  private long inputsUnreadable;
  private final Set<ResultId> seenB = new HashSet<>();
  private final long[] records = new long[2];
  private final long[] duplicates = new long[2];
  private final long[] unreadable = new long[2];
  private final List<Report.Difference> differences = new ArrayList<>();
  private final List<ResultId> onlyInBListed = new ArrayList<>();
  private long paired;
  private long differing;
  private long onlyInB;
  private boolean readingB;
  private boolean finished;

  /**
   * @param family the family whose comparator this is, for the report
   * @param maxListed how many differing results, and results of only one side, the report names
   */
  public Comparison(
      String family,
      ResultComparator<T> comparator,
      Tolerances tolerances,
      int maxListed,
      String topicA,
      String topicB) {
    this.family = Objects.requireNonNull(family, "family");
    this.comparator = Objects.requireNonNull(comparator, "comparator");
    this.tolerances = Objects.requireNonNull(tolerances, "tolerances");
    if (maxListed < 0) {
      throw new IllegalArgumentException("maxListed must be >= 0, not " + maxListed);
    }
    this.maxListed = maxListed;
    this.topicA = topicA;
    this.topicB = topicB;
    this.tally = new Tally(comparator.metrics());
  }

  /** One record of topic A; all of them come before the first of B. */
  public void addA(String key, T record) {
    if (readingB) {
      throw new IllegalStateException("every record of A must come before the first of B");
    }
    records[0]++;
    ResultId id = new ResultId(key, comparator.joinKey(record));
    if (pendingA.containsKey(id)) {
      duplicates[0]++;
      return;
    }
    pendingA.put(id, record);
  }

  /** One input both sides answered, for a comparator with an {@link ResultComparator#inputType}. */
  public void addInput(String key, SpecificRecord input) {
    if (readingB) {
      throw new IllegalStateException("every input must come before the first record of B");
    }
    inputRecords++;
    inputs.putIfAbsent(new ResultId(key, comparator.inputJoinKey(input)), input);
  }

  /** An input record that could not be decoded. */
  public void unreadableInput() {
    inputRecords++;
    inputsUnreadable++;
  }

  /** One record of topic B: compared at once with its partner from A, if there is one. */
  public void addB(String key, T record) {
    readingB = true;
    records[1]++;
    ResultId id = new ResultId(key, comparator.joinKey(record));
    if (!seenB.add(id)) {
      duplicates[1]++;
      return;
    }
    SpecificRecord input = inputs.get(id);
    comparator.observe(Side.B, record, input, tally);
    T a = pendingA.remove(id);
    if (a == null) {
      onlyInB++;
      if (onlyInBListed.size() < maxListed) {
        onlyInBListed.add(id);
      }
      return;
    }
    comparator.observe(Side.A, a, input, tally);
    paired++;
    List<String> changes = comparator.compare(a, record, tolerances, tally);
    if (!changes.isEmpty()) {
      differing++;
      if (differences.size() < maxListed) {
        differences.add(new Report.Difference(id, List.copyOf(changes)));
      }
    }
  }

  /** A record of {@code side} that could not be decoded as this comparison's record. */
  public void unreadable(Side side) {
    if (side == Side.B) {
      readingB = true;
    }
    records[side.ordinal()]++;
    unreadable[side.ordinal()]++;
  }

  /**
   * The report of everything added; A's results that B never matched are "only in A". Ends the
   * comparison: called once.
   */
  public Report finish() {
    if (finished) {
      throw new IllegalStateException("the comparison has finished");
    }
    finished = true;
    // A's results that B never matched are seen only now, when no B can match them.
    pendingA.forEach((id, a) -> comparator.observe(Side.A, a, inputs.get(id), tally));
    List<ResultId> onlyInAListed = pendingA.keySet().stream().limit(maxListed).toList();
    return new Report(
        family,
        comparator.recordType().getName(),
        new Report.SideSummary(topicA, records[0], duplicates[0], unreadable[0], pendingA.size()),
        new Report.SideSummary(topicB, records[1], duplicates[1], unreadable[1], onlyInB),
        new Report.InputSummary(inputRecords, inputsUnreadable, inputs.size()),
        paired,
        differing,
        tally.values(),
        List.copyOf(differences),
        onlyInAListed,
        List.copyOf(onlyInBListed));
  }
}
