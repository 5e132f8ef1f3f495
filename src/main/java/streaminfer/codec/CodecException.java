package streaminfer.codec;

/**
 * A payload that cannot be decoded, or a record that cannot be encoded. The message says what is
 * wrong with the bytes so that it can go straight into a dead-letter record's {@code
 * error.message}.
 */
public final class CodecException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CodecException(String message) {
    super(message);
  }

  public CodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
