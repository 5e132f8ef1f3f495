package streaminfer.runtime;

/** ONNX Runtime refused or failed a run. */
public final class InferenceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InferenceException(String message, Throwable cause) {
    super(message, cause);
  }

  public InferenceException(String message) {
    super(message);
  }
}
