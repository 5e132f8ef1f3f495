package streaminfer.stream;

import java.util.Objects;

/**
 * The engine cannot use the Kafka cluster its client properties name; the message says why in the
 * user's terms (which address, which user, which setting), and {@link #reason()} says it to code.
 */
public final class KafkaConnectionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, coarsely: enough to pick an exit code or a health status. */
  public enum Reason {
    /** The client properties are incomplete or contradictory; no connection was tried. */
    MISCONFIGURED,
    /** The broker refused the SASL credentials (or the mechanism). */
    AUTHENTICATION_FAILED,
    /**
     * The TLS handshake failed: an untrusted or mismatched certificate, or a refused client one.
     */
    TLS_HANDSHAKE_FAILED,
    /** No answer before the deadline: wrong address, broker down, or a protocol mismatch. */
    UNREACHABLE,
    /** The broker answered, but refused the request. */
    REFUSED
  }

  private final Reason reason;

  KafkaConnectionException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason must not be null");
  }

  public Reason reason() {
    return reason;
  }
}
