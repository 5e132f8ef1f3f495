package streaminfer.config;

/** A configuration value that cannot be used; the message names the key, the value and the rule. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String key;

  public ConfigException(String key, String message) {
    super(key + ": " + message);
    this.key = key;
  }

  /** The dotted path of the offending key, e.g. {@code pipelines[cameras].batch.maxSize}. */
  public String key() {
    return key;
  }
}
