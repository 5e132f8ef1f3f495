package streaminfer.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows a warm-up runs: the model's golden inputs when its golden file holds some for this graph
 * (real shapes and values take the paths real traffic takes), else ones of the declared shapes with
 * every dynamic dimension 1 (ones, not zeros: a zero length or count can take a graph's degenerate
 * branch).
 *
 * <p>Golden files come in the three forms the exporters write: {@code samples[].inputs} of {@code
 * {dtype, shape, data}} per input, optionally naming the graph {@code model} they feed (the generic
 * form); {@code input} with {@code inputs}, one array of floats per row; {@code input} with {@code
 * samples[].tensor}, a file of little-endian float32 per row.
 */
final class WarmupInputs {
  static final String ONES = "ones";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Rows to cycle through, and where they came from (the golden file's name, or "ones"). */
  record Rows(List<Map<String, Tensor>> rows, String source) {
    Rows {
      rows = List.copyOf(rows);
    }
  }

  private WarmupInputs() {}

  static Rows of(ModelMetadata metadata, Path directory, String graphFile) {
    if (metadata.golden() != null) {
      List<Map<String, Tensor>> golden =
          golden(metadata, directory, directory.resolve(metadata.golden()), graphFile);
      if (!golden.isEmpty()) {
        return new Rows(golden, metadata.golden());
      }
    }
    return new Rows(List.of(ones(metadata)), ONES);
  }

  private static Map<String, Tensor> ones(ModelMetadata metadata) {
    Map<String, Tensor> row = new HashMap<>();
    for (TensorSpec spec : metadata.inputs()) {
      long[] shape = rowDims(metadata, spec.shape());
      for (int i = 0; i < shape.length; i++) {
        shape[i] = Math.max(shape[i], 1);
      }
      double[] values = new double[Math.toIntExact(Shapes.elements(shape))];
      Arrays.fill(values, 1);
      row.put(spec.name(), spec.dtype().fromNumbers(values, shape));
    }
    return row;
  }

  private static List<Map<String, Tensor>> golden(
      ModelMetadata metadata, Path directory, Path file, String graphFile) {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new ModelLoadException(file + ": cannot read the golden file: " + e.getMessage(), e);
    }
    JsonNode samples = root.path("samples");
    if (samples.path(0).has("inputs")) {
      for (JsonNode sample : samples) {
        if (graphFile.equals(sample.path("model").asText(graphFile))) {
          return generic(metadata, sample.get("inputs"));
        }
      }
      return List.of();
    }
    List<TensorSpec> inputs = metadata.inputs();
    String input = root.path("input").asText();
    if (inputs.size() != 1 || !inputs.get(0).name().equals(input)) {
      return List.of();
    }
    TensorSpec spec = inputs.get(0);
    List<Map<String, Tensor>> rows = new ArrayList<>();
    for (JsonNode row : root.path("inputs")) {
      rows.add(Map.of(input, spec.dtype().fromNumbers(numbers(row), new long[] {row.size()})));
    }
    for (JsonNode sample : samples) {
      double[] values = littleEndianFloats(directory.resolve(sample.path("tensor").asText()));
      rows.add(Map.of(input, spec.dtype().fromNumbers(values, new long[] {values.length})));
    }
    return rows;
  }

  /** The rows of one generic sample, or none when it lacks an input of the graph. */
  private static List<Map<String, Tensor>> generic(ModelMetadata metadata, JsonNode inputs) {
    List<Map<String, Tensor>> rows = new ArrayList<>();
    for (TensorSpec spec : metadata.inputs()) {
      JsonNode node = inputs.get(spec.name());
      if (node == null) {
        return List.of();
      }
      long[] shape = new long[node.path("shape").size()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = node.path("shape").get(i).asLong();
      }
      double[] data = numbers(node.path("data"));
      int count = metadata.batching() == Batching.BATCH ? (int) shape[0] : 1;
      long[] rowShape = rowDims(metadata, shape);
      int rowLength = data.length / count;
      for (int r = 0; r < count; r++) {
        if (rows.size() <= r) {
          rows.add(new HashMap<>());
        }
        double[] values = Arrays.copyOfRange(data, r * rowLength, (r + 1) * rowLength);
        rows.get(r).put(spec.name(), spec.dtype().fromNumbers(values, rowShape));
      }
    }
    return rows;
  }

  /** A tensor's dimensions in one row: without the batch axis, if the model has one. */
  private static long[] rowDims(ModelMetadata metadata, long[] shape) {
    return metadata.batching() == Batching.BATCH ? Shapes.drop(1, shape) : shape.clone();
  }

  private static double[] numbers(JsonNode array) {
    double[] values = new double[array.size()];
    for (int i = 0; i < values.length; i++) {
      JsonNode value = array.get(i);
      values[i] = value.isBoolean() ? (value.asBoolean() ? 1 : 0) : value.asDouble();
    }
    return values;
  }

  private static double[] littleEndianFloats(Path file) {
    try {
      ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
      double[] values = new double[bytes.remaining() / Float.BYTES];
      for (int i = 0; i < values.length; i++) {
        values[i] = bytes.getFloat();
      }
      return values;
    } catch (IOException e) {
      throw new ModelLoadException(file + ": cannot read a golden tensor: " + e.getMessage(), e);
    }
  }
}
