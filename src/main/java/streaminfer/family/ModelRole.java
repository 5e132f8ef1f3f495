package streaminfer.family;

import java.util.Optional;

/**
 * A model a family runs, by role: {@code main} for a one-model family. A section role is a second
 * graph shipped inside the version of another role's model (ModelRepository#openAuxiliary), so it
 * always has that model's name and version.
 *
 * @param defaultModel the repository name used when a pipeline does not name one
 * @param owner for a section: the role whose model holds the graph
 * @param section for a section: the model.json section describing the graph
 */
public record ModelRole(
    String role, String defaultModel, Optional<String> owner, Optional<String> section) {
  public static final String MAIN = "main";

  public ModelRole {
    if (role == null || role.isBlank()) {
      throw new IllegalArgumentException("a model role needs a name");
    }
    if (owner.isPresent() != section.isPresent()) {
      throw new IllegalArgumentException("role " + role + ": a section needs its owner role");
    }
  }

  public static ModelRole of(String role, String defaultModel) {
    return new ModelRole(role, defaultModel, Optional.empty(), Optional.empty());
  }

  /** A second graph of the model that {@code owner} loads. */
  public static ModelRole section(String role, String owner, String section) {
    return new ModelRole(role, null, Optional.of(owner), Optional.of(section));
  }

  public boolean isSection() {
    return section.isPresent();
  }
}
