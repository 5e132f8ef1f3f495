package streaminfer.compare;

import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import streaminfer.codec.AvroCodec;
import streaminfer.codec.CodecException;
import streaminfer.codec.WriterSchemas;
import streaminfer.config.ConfigException;

/**
 * One comparison from raw topic values: picks the family's comparator (named with {@code --family},
 * else from the writer schema in the single-object header of the first value whose schema is
 * known), decodes every value by the wire contract and feeds the {@link Comparison}. Every value of
 * A comes before the first of B. Not thread-safe: one reader thread feeds it.
 */
public final class CompareRun {
  private static final byte MAGIC_0 = (byte) 0xC3;
  private static final byte MAGIC_1 = (byte) 0x01;

  private final List<OfferedComparator> offered;
  private final WriterSchemas schemas;
  private final Tolerances tolerances;
  private final int maxListed;
  private final String topicA;
  private final String topicB;
  // Values read before the record type was known, that named no known writer schema.
  private final long[] early = new long[2];
  private final boolean[] typeChecked = new boolean[2];
  private Typed<?> typed;

  /**
   * @param offered every family's comparators
   * @param family {@code --family}: only this family's comparators are considered
   */
  public CompareRun(
      List<OfferedComparator> offered,
      Optional<String> family,
      WriterSchemas schemas,
      Tolerances tolerances,
      int maxListed,
      String topicA,
      String topicB) {
    this.schemas = schemas;
    this.tolerances = tolerances;
    this.maxListed = maxListed;
    this.topicA = topicA;
    this.topicB = topicB;
    if (family.isPresent()) {
      List<OfferedComparator> own =
          offered.stream().filter(o -> o.family().equals(family.get())).toList();
      if (own.isEmpty()) {
        throw new ConfigException(
            "--family",
            "'"
                + family.get()
                + "' is not a family that compares results; these do: "
                + new TreeSet<>(offered.stream().map(OfferedComparator::family).toList()));
      }
      this.offered = own;
      if (own.size() == 1) {
        typed = start(own.get(0));
      }
    } else {
      this.offered = List.copyOf(offered);
    }
  }

  /** One value of {@code side}'s topic. */
  public void accept(Side side, String key, byte[] value) {
    Optional<String> type = writerType(value);
    if (typed == null) {
      if (type.isEmpty()) {
        early[side.ordinal()]++;
        return;
      }
      typed = start(choose(type.get()));
    }
    if (!typeChecked[side.ordinal()] && type.isPresent()) {
      typeChecked[side.ordinal()] = true;
      String expected = typed.offered.recordType();
      if (!type.get().equals(expected)) {
        throw new ConfigException(
            side == Side.A ? "--a" : "--b",
            "topic '"
                + (side == Side.A ? topicA : topicB)
                + "' holds "
                + type.get()
                + ", but the comparison is of "
                + expected
                + " (family "
                + typed.offered.family()
                + ")");
      }
    }
    typed.accept(side, key, value);
  }

  /**
   * The report; fails when neither topic held a value of a known record and no family was named.
   */
  public Report finish() {
    if (typed == null) {
      throw new ConfigException(
          "--family",
          "neither topic holds a result this build can compare (A: "
              + early[0]
              + " records, B: "
              + early[1]
              + "); name the family with --family");
    }
    return typed.comparison.finish();
  }

  /**
   * Whether the comparator reads inputs ({@link ResultComparator#inputType}); known once the family
   * is (named, or read from A's first value).
   */
  public boolean readsInputs() {
    return typed != null && typed.offered.comparator().inputType() != null;
  }

  /**
   * Fails unless the comparator reads inputs: checked before {@code --inputs} is read.
   *
   * @throws ConfigException naming {@code --inputs}
   */
  public void requireInputs() {
    if (!readsInputs()) {
      throw new ConfigException(
          "--inputs",
          typed == null
              ? "the family is not known yet: name it with --family"
              : "family " + typed.offered.family() + " judges its results without their inputs");
    }
  }

  /** One value of {@code --inputs}, after every value of A and before the first of B. */
  public void acceptInput(String key, byte[] value) {
    requireInputs();
    typed.acceptInput(key, value);
  }

  private OfferedComparator choose(String recordType) {
    List<OfferedComparator> candidates =
        offered.stream().filter(o -> o.recordType().equals(recordType)).toList();
    if (candidates.isEmpty()) {
      throw new ConfigException(
          "--a",
          "the topics hold "
              + recordType
              + ", which no family compares; these do: "
              + new TreeSet<>(offered.stream().map(OfferedComparator::recordType).toList()));
    }
    if (candidates.size() > 1) {
      throw new ConfigException(
          "--family",
          recordType
              + " is compared by several families, "
              + candidates.stream().map(OfferedComparator::family).toList()
              + "; name one with --family");
    }
    return candidates.get(0);
  }

  private Typed<?> start(OfferedComparator chosen) {
    Typed<?> started = typed(chosen, chosen.comparator());
    for (Side side : Side.values()) {
      for (long i = 0; i < early[side.ordinal()]; i++) {
        started.comparison.unreadable(side);
      }
    }
    return started;
  }

  private <T extends SpecificRecord> Typed<T> typed(
      OfferedComparator chosen, ResultComparator<T> comparator) {
    Class<? extends SpecificRecord> inputType = comparator.inputType();
    return new Typed<>(
        chosen,
        AvroCodec.forType(comparator.recordType(), schemas),
        inputType == null ? null : AvroCodec.forType(inputType, schemas),
        new Comparison<>(chosen.family(), comparator, tolerances, maxListed, topicA, topicB));
  }

  /** The full name of the writer schema a single-object encoded value names, if it is known. */
  private Optional<String> writerType(byte[] value) {
    if (value == null
        || value.length < AvroCodec.HEADER_BYTES
        || value[0] != MAGIC_0
        || value[1] != MAGIC_1) {
      return Optional.empty();
    }
    long fingerprint = 0;
    for (int i = 9; i >= 2; i--) {
      fingerprint = (fingerprint << 8) | (value[i] & 0xFFL);
    }
    Schema schema = schemas.findByFingerprint(fingerprint);
    return schema == null ? Optional.empty() : Optional.of(schema.getFullName());
  }

  private record Typed<T extends SpecificRecord>(
      OfferedComparator offered,
      AvroCodec<T> codec,
      AvroCodec<? extends SpecificRecord> inputCodec,
      Comparison<T> comparison) {
    void acceptInput(String key, byte[] value) {
      SpecificRecord input;
      try {
        input = inputCodec.decode(value);
      } catch (CodecException e) {
        comparison.unreadableInput();
        return;
      }
      comparison.addInput(key, input);
    }

    void accept(Side side, String key, byte[] value) {
      T record;
      try {
        record = codec.decode(value);
      } catch (CodecException e) {
        comparison.unreadable(side);
        return;
      }
      if (side == Side.A) {
        comparison.addA(key, record);
      } else {
        comparison.addB(key, record);
      }
    }
  }
}
