package streaminfer.ops;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.apache.kafka.common.header.Header;
import streaminfer.stream.DeadLetters;

/**
 * The latest dead letters of a pipeline with their reasons, for the dashboard: a fixed number is
 * kept, older ones are dropped, so a flood of bad records costs no memory.
 *
 * <p>Thread-safe: written on the pipeline's event loop, read on the ops server's.
 */
public final class DeadLetterLog {
  /** Longer keys and messages are cut: a hostile record must not fill the dashboard. */
  static final int MAX_TEXT = 300;

  private final int capacity;
  private final Clock clock;
  private final Deque<Entry> entries = new ArrayDeque<>();

  /**
   * One dead letter as its headers describe it.
   *
   * @param source {@code topic/partition@offset} of the input
   * @param modelVersion {@code model/version}, empty when no model ran on the record
   */
  public record Entry(
      Instant at,
      String pipeline,
      String key,
      String source,
      String error,
      String message,
      String modelVersion) {}

  public DeadLetterLog(int capacity, Clock clock) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive, was " + capacity);
    }
    this.capacity = capacity;
    this.clock = clock;
  }

  public void add(String pipeline, String key, List<Header> headers) {
    Entry entry =
        new Entry(
            clock.instant(),
            pipeline,
            cut(key == null ? "" : key),
            header(headers, DeadLetters.SOURCE_TOPIC)
                + "/"
                + header(headers, DeadLetters.SOURCE_PARTITION)
                + "@"
                + header(headers, DeadLetters.SOURCE_OFFSET),
            simpleName(header(headers, DeadLetters.ERROR_CLASS)),
            cut(header(headers, DeadLetters.ERROR_MESSAGE)),
            header(headers, DeadLetters.MODEL_VERSION));
    synchronized (entries) {
      if (entries.size() == capacity) {
        entries.removeFirst();
      }
      entries.addLast(entry);
    }
  }

  /** Oldest first. */
  public List<Entry> latest() {
    synchronized (entries) {
      return new ArrayList<>(entries);
    }
  }

  private static String header(List<Header> headers, String key) {
    for (Header header : headers) {
      if (header.key().equals(key) && header.value() != null) {
        return new String(header.value(), StandardCharsets.UTF_8);
      }
    }
    return "";
  }

  private static String simpleName(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }

  private static String cut(String text) {
    return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 1) + "…";
  }
}
