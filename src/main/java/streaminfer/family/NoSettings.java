package streaminfer.family;

/** The settings of a family that has none of its own. */
public record NoSettings() {
  public static final NoSettings INSTANCE = new NoSettings();
}
