package streaminfer.compare;

/**
 * One result as both topics name it: the Kafka key and the family's join key within it.
 *
 * @param key the record key (stream, sample, game or request id)
 * @param joinKey {@link ResultComparator#joinKey}
 */
public record ResultId(String key, String joinKey) {
  public ResultId {
    key = key == null ? "" : key;
    if (joinKey == null) {
      throw new IllegalArgumentException("a result needs a join key");
    }
  }

  @Override
  public String toString() {
    return key + " #" + joinKey;
  }
}
