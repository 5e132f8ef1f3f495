package streaminfer.stream;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The headers of a dead letter: why the record failed, where it came from, which pipeline gave up
 * on it and, when a model ran on it, which model version.
 */
public final class DeadLetters {
  public static final String ERROR_CLASS = "error.class";
  public static final String ERROR_MESSAGE = "error.message";
  public static final String SOURCE_TOPIC = "source.topic";
  public static final String SOURCE_PARTITION = "source.partition";
  public static final String SOURCE_OFFSET = "source.offset";
  public static final String PIPELINE = "pipeline";
  public static final String MODEL_VERSION = "model.version";

  private DeadLetters() {}

  public static List<Header> headers(
      String pipeline, String topic, int partition, long offset, Throwable failure) {
    Throwable reason = rootOf(failure);
    String message = reason.getMessage() == null ? reason.toString() : reason.getMessage();
    List<Header> headers = new ArrayList<>(7);
    headers.add(header(ERROR_CLASS, reason.getClass().getName()));
    headers.add(header(ERROR_MESSAGE, message));
    headers.add(header(SOURCE_TOPIC, topic));
    headers.add(header(SOURCE_PARTITION, Integer.toString(partition)));
    headers.add(header(SOURCE_OFFSET, Long.toString(offset)));
    headers.add(header(PIPELINE, pipeline));
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof ModelFailure model) {
        headers.add(header(MODEL_VERSION, model.modelVersion()));
        break;
      }
    }
    return headers;
  }

  /** Strips the wrappers futures and models add, so the header names the real failure. */
  public static Throwable rootOf(Throwable failure) {
    Throwable reason = failure;
    while ((reason instanceof CompletionException
            || reason instanceof ExecutionException
            || reason instanceof ModelFailure)
        && reason.getCause() != null) {
      reason = reason.getCause();
    }
    return reason;
  }

  private static Header header(String key, String value) {
    return new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8));
  }
}
