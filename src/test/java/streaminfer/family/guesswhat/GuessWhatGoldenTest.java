package streaminfer.family.guesswhat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import streaminfer.runtime.DevicePolicy;
import streaminfer.runtime.ModelRepository;
import streaminfer.runtime.ModelSession;
import streaminfer.runtime.SessionTuning;
import streaminfer.runtime.Tensor;

/**
 * ONNX Runtime Java, fed int64 token rows through the engine's runtime, reproduces the trainer's
 * outputs on every golden sample of the three shipped GuessWhat?! models and QGen's scene encoder.
 */
class GuessWhatGoldenTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ModelRepository REPOSITORY = new ModelRepository(Path.of("models"));

  @ParameterizedTest
  @ValueSource(strings = {"guesswhat-oracle", "guesswhat-qgen", "guesswhat-guesser"})
  void reproducesTheTrainersGoldenOutputs(String name) throws IOException {
    try (ModelSession main =
        REPOSITORY.open(name, OptionalInt.empty(), DevicePolicy.CPU, SessionTuning.defaults())) {
      JsonNode golden = JSON.readTree(main.directory().resolve("golden.json").toFile());
      double atol = golden.at("/tolerance/atol").asDouble();
      double rtol = golden.at("/tolerance/rtol").asDouble();
      int checked = 0;
      for (JsonNode sample : golden.get("samples")) {
        String file = sample.get("model").asText();
        ModelSession session =
            file.equals(ModelRepository.GRAPH_FILE)
                ? main
                : REPOSITORY.openAuxiliary(
                    main, "sceneEncoder", DevicePolicy.CPU, SessionTuning.defaults());
        try {
          List<Map<String, Tensor>> outputs = session.runRows(rows(sample.get("inputs")));
          List<Map<String, Tensor>> expected = rows(sample.get("outputs"));
          assertEquals(expected.size(), outputs.size());
          for (int row = 0; row < expected.size(); row++) {
            for (Map.Entry<String, Tensor> tensor : expected.get(row).entrySet()) {
              float[] actual = outputs.get(row).get(tensor.getKey()).floats();
              float[] wanted = tensor.getValue().floats();
              assertEquals(wanted.length, actual.length);
              for (int i = 0; i < wanted.length; i++) {
                assertTrue(
                    Math.abs(wanted[i] - actual[i]) <= atol + rtol * Math.abs(wanted[i]),
                    file
                        + " "
                        + tensor.getKey()
                        + " row "
                        + row
                        + " ["
                        + i
                        + "]: trainer "
                        + wanted[i]
                        + ", ORT "
                        + actual[i]);
                checked++;
              }
            }
          }
        } finally {
          if (session != main) {
            session.close();
          }
        }
      }
      assertTrue(checked > 0, "no golden values in " + name);
    }
  }

  /**
   * Splits golden tensors ({dtype, shape, data}) along the batch axis into runtime rows, int64 ones
   * (token ids, lengths) as int64 and the rest as float32.
   */
  private static List<Map<String, Tensor>> rows(JsonNode tensors) {
    List<Map<String, Tensor>> rows = new ArrayList<>();
    tensors
        .properties()
        .forEach(
            entry -> {
              JsonNode shape = entry.getValue().get("shape");
              JsonNode data = entry.getValue().get("data");
              int batch = shape.get(0).asInt();
              int rowSize = data.size() / batch;
              while (rows.size() < batch) {
                rows.add(new HashMap<>());
              }
              boolean int64 = "int64".equals(entry.getValue().get("dtype").asText());
              for (int r = 0; r < batch; r++) {
                float[] floats = new float[rowSize];
                long[] longs = new long[rowSize];
                for (int i = 0; i < rowSize; i++) {
                  floats[i] = (float) data.get(r * rowSize + i).asDouble();
                  longs[i] = data.get(r * rowSize + i).asLong();
                }
                rows.get(r).put(entry.getKey(), int64 ? Tensor.of(longs) : Tensor.of(floats));
              }
            });
    return rows;
  }
}
