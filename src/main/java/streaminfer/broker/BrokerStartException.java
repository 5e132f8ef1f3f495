package streaminfer.broker;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The embedded broker could not be formatted, started, or reached before its deadline. */
public final class BrokerStartException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private static final int MAX_CAUSES = 6;

  BrokerStartException(Path dataDir, String what, Throwable cause) {
    super("Embedded Kafka broker in " + dataDir + " " + what + causes(cause), cause);
  }

  /**
   * Kafka wraps the useful reason (say, "failed to bind to 127.0.0.1:9092") several levels deep, so
   * the whole chain goes into the message rather than only the outermost wrapper.
   */
  private static String causes(Throwable cause) {
    List<String> parts = new ArrayList<>();
    for (Throwable t = cause; t != null && parts.size() < MAX_CAUSES; t = t.getCause()) {
      parts.add(t.getClass().getSimpleName() + ": " + t.getMessage());
      if (t.getCause() == t) {
        break;
      }
    }
    return parts.isEmpty() ? "" : ": " + String.join(" <- ", parts);
  }
}
