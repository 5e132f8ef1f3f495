package streaminfer.family;

/**
 * The input is valid but too old to be worth answering (live mode): it is skipped and counted,
 * neither answered nor dead-lettered.
 */
public final class StaleInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StaleInputException(String message) {
    super(message, null, false, false);
  }
}
