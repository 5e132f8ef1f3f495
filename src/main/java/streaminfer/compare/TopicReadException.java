package streaminfer.compare;

/** A result topic could not be read to its end: the broker stopped answering, or refused. */
public final class TopicReadException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TopicReadException(String message, Throwable cause) {
    super(message, cause);
  }
}
