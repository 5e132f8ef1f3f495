package streaminfer.stream;

/** A processor wrote to a topic its pipeline does not declare: a bug, so the record fails. */
public final class UndeclaredTopicException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public UndeclaredTopicException(String topic, java.util.Set<String> declared) {
    super("output to undeclared topic " + topic + "; the pipeline writes " + declared);
  }
}
