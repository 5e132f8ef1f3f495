package streaminfer.stream;

/**
 * A failure while a model ran on the record: names the model version for the dead letter's {@code
 * model.version} header. The dead letter's reason is the cause, not this wrapper.
 */
public final class ModelFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String modelVersion;

  /**
   * @param modelVersion {@code <model>/<version>}, e.g. {@code detector/2}
   */
  public ModelFailure(String modelVersion, Throwable cause) {
    super(modelVersion + ": " + cause, cause);
    if (cause == null) {
      throw new IllegalArgumentException("a model failure needs its cause");
    }
    this.modelVersion = modelVersion;
  }

  public String modelVersion() {
    return modelVersion;
  }
}
