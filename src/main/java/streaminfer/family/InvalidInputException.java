package streaminfer.family;

/** A decoded record that the model cannot take; the message says what is wrong with it. */
public final class InvalidInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message);
  }
}
