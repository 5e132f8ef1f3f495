package streaminfer.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The parsed {@code model.json} of one model version (format: docs/model-json.md): its signature,
 * whether the graph has a batch axis, plus the family-specific sections ({@code labels}, {@code
 * training}, {@code preprocessing}) kept as JSON for the family. An output that serves as another's
 * row index is itself split by row index.
 */
public record ModelMetadata(
    String name,
    int version,
    String family,
    List<TensorSpec> inputs,
    List<TensorSpec> outputs,
    String sha256,
    String golden,
    Batching batching,
    JsonNode document) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public ModelMetadata {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    if (inputs.isEmpty() || outputs.isEmpty()) {
      throw new IllegalArgumentException("model " + name + " declares no inputs or no outputs");
    }
    outputs = withRowIndexesSplit(outputs);
    if (batching == Batching.BATCH) {
      Stream.concat(inputs.stream(), outputs.stream()).forEach(ModelMetadata::requireBatchAxis);
    }
    for (TensorSpec spec : outputs) {
      if (spec.ragged().isPresent()) {
        checkRagged(name, batching, spec, outputs);
      }
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
          Batching.parse(root.path("batching").asText("batch")),
          root);
    } catch (IllegalArgumentException e) {
      throw new ModelLoadException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The signature of a second graph of this version, from the model.json section {@code section}
   * ({@code file}, {@code sha256}, {@code inputs}, {@code outputs}, {@code batching}); named {@code
   * <name>/<section>}. It shares the version's golden file, whose samples name the graph they feed.
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
          golden,
          Batching.parse(node.path("batching").asText("batch")),
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
          new TensorSpec(
              required(node, "name").asText(),
              DType.parse(required(node, "dtype").asText()),
              shape,
              ragged(node.get("ragged"))));
    }
    return specs;
  }

  private static Optional<Ragged> ragged(JsonNode node) {
    if (node == null) {
      return Optional.empty();
    }
    if (node.size() == 1 && node.hasNonNull("counts")) {
      return Optional.of(new Ragged.Counts(node.get("counts").asText()));
    }
    if (node.size() == 1 && node.hasNonNull("rowIndex")) {
      return Optional.of(new Ragged.RowIndex(node.get("rowIndex").asText()));
    }
    throw new IllegalArgumentException(
        "ragged must be {\"counts\": <output>} or {\"rowIndex\": <output>}, was " + node);
  }

  /** An output that is some output's row index is split by itself: each row gets its entries. */
  private static List<TensorSpec> withRowIndexesSplit(List<TensorSpec> outputs) {
    Set<String> indexes =
        outputs.stream()
            .flatMap(spec -> spec.ragged().stream())
            .filter(Ragged.RowIndex.class::isInstance)
            .map(Ragged::tensor)
            .collect(Collectors.toSet());
    return outputs.stream()
        .map(
            spec ->
                indexes.contains(spec.name()) && spec.ragged().isEmpty()
                    ? new TensorSpec(
                        spec.name(),
                        spec.dtype(),
                        spec.shape(),
                        Optional.of(new Ragged.RowIndex(spec.name())))
                    : spec)
        .toList();
  }

  private static void requireBatchAxis(TensorSpec spec) {
    long[] shape = spec.shape();
    if (shape.length < 1 || shape[0] != -1) {
      throw new IllegalArgumentException(
          "tensor "
              + spec
              + " has no dynamic first dimension; a batched model needs one"
              + " (say \"batching\": \"none\" for a graph without a batch axis)");
    }
  }

  private static void checkRagged(
      String model, Batching batching, TensorSpec spec, List<TensorSpec> outputs) {
    Ragged layout = spec.ragged().orElseThrow();
    String where = "model " + model + ", output " + spec.name() + ": ";
    if (batching == Batching.NONE) {
      throw new IllegalArgumentException(
          where + "a model without a batch axis gives each row its outputs whole; drop ragged");
    }
    TensorSpec by =
        outputs.stream()
            .filter(output -> output.name().equals(layout.tensor()))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        where + "ragged by " + layout.tensor() + ", which is no output"));
    if ((by.dtype() != DType.INT64 && by.dtype() != DType.INT32) || by.shape().length != 1) {
      throw new IllegalArgumentException(
          where + "ragged by " + by + ", which must be an int64 or int32 vector");
    }
    if (layout instanceof Ragged.Counts && spec.shape().length < 2) {
      throw new IllegalArgumentException(
          where + "a padded output needs a [batch, maxN, ...] shape, not " + spec);
    }
  }
}
