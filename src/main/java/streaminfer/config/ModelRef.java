package streaminfer.config;

import java.util.OptionalInt;

/** A model of the repository and which version to serve: the latest, or a pinned one. */
public record ModelRef(String name, OptionalInt version) {
  public ModelRef {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a model reference needs a name");
    }
  }

  public static ModelRef latest(String name) {
    return new ModelRef(name, OptionalInt.empty());
  }

  @Override
  public String toString() {
    return name + "@" + (version.isPresent() ? Integer.toString(version.getAsInt()) : "latest");
  }
}
