package streaminfer.family;

import java.util.function.LongFunction;

/**
 * Synthetic input records for {@code serve --demo}: the n-th record, and how many per second.
 * {@code close} releases what the generator holds (e.g. a video encoder).
 */
public record DemoSource(
    double recordsPerSecond, LongFunction<KeyedValue> next, AutoCloseable resources)
    implements AutoCloseable {

  /** An input record as it goes to Kafka: key and encoded value. */
  public record KeyedValue(String key, byte[] value) {}

  public DemoSource {
    if (!(recordsPerSecond > 0)) {
      throw new IllegalArgumentException(
          "a demo feed needs a positive rate, was " + recordsPerSecond);
    }
  }

  @Override
  public void close() {
    try {
      resources.close();
    } catch (Exception e) {
      throw new IllegalStateException("closing the demo source failed", e);
    }
  }
}
