package streaminfer.codec;

import java.util.Map;
import org.apache.avro.SystemLimitException;

/**
 * Avro's process-wide caps on one string, one bytes value and one collection, set as a second net
 * behind {@link BoundedDecoder}'s per-record bound for any Avro decoding that does not go through
 * it. Kafka delivers no record bigger than these; an operator's own {@code -D} setting wins. Avro
 * reads them once, when {@link SystemLimitException} is first used, so they are set when the first
 * codec is made, before any decode.
 */
final class AvroLimits {
  /** Longest string, in UTF-8 bytes. */
  static final int MAX_STRING_BYTES = 64 << 20;

  /** Longest bytes value. */
  static final int MAX_BYTES = 256 << 20;

  /** Most items in one array or map, all blocks together. */
  static final int MAX_COLLECTION_ITEMS = 64 << 20;

  private static final Map<String, Integer> DEFAULTS =
      Map.of(
          SystemLimitException.MAX_STRING_LENGTH_PROPERTY, MAX_STRING_BYTES,
          SystemLimitException.MAX_BYTES_LENGTH_PROPERTY, MAX_BYTES,
          SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY, MAX_COLLECTION_ITEMS);

  private AvroLimits() {}

  /** Sets every limit the JVM was not started with. */
  static void installDefaults() {
    DEFAULTS.forEach(
        (property, limit) -> {
          if (System.getProperty(property) == null) {
            System.setProperty(property, Integer.toString(limit));
          }
        });
  }
}
