package streaminfer.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The parsed {@code model.json} of one model version: its signature plus the family-specific
 * sections ({@code labels}, {@code training}, {@code preprocessing}) kept as JSON for the family.
 */
public record ModelMetadata(
    String name,
    int version,
    String family,
    List<TensorSpec> inputs,
    List<TensorSpec> outputs,
    String sha256,
    String golden,
    JsonNode document) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public ModelMetadata {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    if (inputs.isEmpty() || outputs.isEmpty()) {
      throw new IllegalArgumentException("model " + name + " declares no inputs or no outputs");
    }
  }

  public static ModelMetadata read(Path file) {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new ModelLoadException(file + ": cannot read model metadata: " + e.getMessage(), e);
    }
    try {
      return new ModelMetadata(
          required(root, "name").asText(),
          required(root, "version").asInt(),
          required(root, "family").asText(),
          specs(required(root, "inputs")),
          specs(required(root, "outputs")),
          required(root, "sha256").asText(),
          root.path("golden").asText(null),
          root);
    } catch (IllegalArgumentException e) {
      throw new ModelLoadException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The signature of a second graph of this version, from the model.json section {@code section}
   * ({@code file}, {@code sha256}, {@code inputs}, {@code outputs}); named {@code
   * <name>/<section>}.
   */
  public ModelMetadata auxiliary(String section) {
    JsonNode node = document.get(section);
    if (node == null || !node.isObject()) {
      throw new ModelLoadException("model " + name + " has no graph section '" + section + "'");
    }
    try {
      required(node, "file");
      return new ModelMetadata(
          name + "/" + section,
          version,
          family,
          specs(required(node, "inputs")),
          specs(required(node, "outputs")),
          required(node, "sha256").asText(),
          null,
          node);
    } catch (IllegalArgumentException e) {
      throw new ModelLoadException(
          "model " + name + ", section " + section + ": " + e.getMessage(), e);
    }
  }

  public TensorSpec input(String name) {
    return find(inputs, name);
  }

  public TensorSpec output(String name) {
    return find(outputs, name);
  }

  private static TensorSpec find(List<TensorSpec> specs, String name) {
    return specs.stream()
        .filter(spec -> spec.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no tensor named " + name));
  }

  private static JsonNode required(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException("missing field '" + field + "'");
    }
    return value;
  }

  private static List<TensorSpec> specs(JsonNode array) {
    List<TensorSpec> specs = new ArrayList<>();
    for (JsonNode node : array) {
      JsonNode shapeNode = required(node, "shape");
      long[] shape = new long[shapeNode.size()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = shapeNode.get(i).asLong();
      }
      specs.add(
          new TensorSpec(required(node, "name").asText(), node.path("dtype").asText(), shape));
    }
    return specs;
  }
}
