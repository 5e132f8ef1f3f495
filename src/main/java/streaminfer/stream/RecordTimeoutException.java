package streaminfer.stream;

/** A record's processor did not finish it within the pipeline's {@code recordTimeoutMillis}. */
public final class RecordTimeoutException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RecordTimeoutException(long timeoutMillis) {
    super("not processed within " + timeoutMillis + " ms");
  }
}
