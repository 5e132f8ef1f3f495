package streaminfer.stream;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/** The headers of a dead letter: why the record failed and where it came from. */
public final class DeadLetters {
  public static final String ERROR_CLASS = "error.class";
  public static final String ERROR_MESSAGE = "error.message";
  public static final String SOURCE_TOPIC = "source.topic";
  public static final String SOURCE_PARTITION = "source.partition";
  public static final String SOURCE_OFFSET = "source.offset";

  private DeadLetters() {}

  public static List<Header> headers(String topic, int partition, long offset, Throwable failure) {
    Throwable reason = rootOf(failure);
    String message = reason.getMessage() == null ? reason.toString() : reason.getMessage();
    return List.of(
        header(ERROR_CLASS, reason.getClass().getName()),
        header(ERROR_MESSAGE, message),
        header(SOURCE_TOPIC, topic),
        header(SOURCE_PARTITION, Integer.toString(partition)),
        header(SOURCE_OFFSET, Long.toString(offset)));
  }

  /** Strips the wrappers futures add, so the header names the real failure. */
  public static Throwable rootOf(Throwable failure) {
    Throwable reason = failure;
    while ((reason instanceof CompletionException || reason instanceof ExecutionException)
        && reason.getCause() != null) {
      reason = reason.getCause();
    }
    return reason;
  }

  private static Header header(String key, String value) {
    return new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8));
  }
}
