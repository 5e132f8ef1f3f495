package streaminfer.family.began;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import streaminfer.runtime.DevicePolicy;
import streaminfer.runtime.ModelRepository;
import streaminfer.runtime.ModelSession;
import streaminfer.runtime.SessionTuning;
import streaminfer.runtime.Tensor;

/**
 * The shipped generator and discriminator through ONNX Runtime Java: the trainer's golden outputs
 * within tolerance, and for the generator the trainer's PNG bytes exactly, seed for seed.
 */
class BeganGoldenTest {
  private static final ModelRepository SHIPPED = new ModelRepository(Path.of("models"));
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ModelSession open(String name) {
    return SHIPPED.open(name, OptionalInt.empty(), DevicePolicy.CPU, SessionTuning.defaults());
  }

  @Test
  void bothModelsReproduceTheTrainersGoldenOutputs() throws IOException {
    for (String name : List.of(BeganModule.GENERATOR, BeganFramesModule.DISCRIMINATOR)) {
      try (ModelSession session = open(name)) {
        JsonNode golden = golden(session);
        double atol = golden.at("/tolerance/atol").asDouble();
        double rtol = golden.at("/tolerance/rtol").asDouble();
        List<Map<String, Tensor>> rows = new ArrayList<>();
        golden
            .get("inputs")
            .forEach(row -> rows.add(Map.of(golden.get("input").asText(), Tensor.of(floats(row)))));
        List<Map<String, Tensor>> outputs = session.runRows(rows);
        for (int r = 0; r < rows.size(); r++) {
          float[] expected = floats(golden.get("outputs").get(r));
          float[] actual = outputs.get(r).get(golden.get("output").asText()).floats();
          assertEquals(expected.length, actual.length);
          for (int i = 0; i < expected.length; i++) {
            assertTrue(
                Math.abs(expected[i] - actual[i]) <= atol + rtol * Math.abs(expected[i]),
                name
                    + " row "
                    + r
                    + " value "
                    + i
                    + ": trainer "
                    + expected[i]
                    + ", ORT "
                    + actual[i]);
          }
        }
      }
    }
  }

  @Test
  void generatesTheTrainersPngBytesForEverySeedOfTheGoldenRequest() throws IOException {
    try (ModelSession session = open(BeganModule.GENERATOR)) {
      JsonNode pngs = session.metadata().document().get("golden_png");
      int dim = (int) session.metadata().inputs().get(0).shape()[1];
      String input = session.metadata().inputs().get(0).name();
      String output = session.metadata().outputs().get(0).name();
      for (int seed = 0; seed < pngs.get("count").asInt(); seed++) {
        float[] image =
            session
                .runRows(List.of(Map.of(input, Tensor.of(Latents.forSeed(seed, dim)))))
                .get(0)
                .get(output)
                .floats();
        byte[] expected =
            Files.readAllBytes(
                session
                    .directory()
                    .resolve(pngs.get("dir").asText())
                    .resolve("seed-" + seed + ".png"));
        assertArrayEquals(expected, GreyPng.encode(GreyPng.pixels(image), 32, 32), "seed " + seed);
      }
    }
  }

  private static JsonNode golden(ModelSession session) throws IOException {
    return JSON.readTree(session.directory().resolve(session.metadata().golden()).toFile());
  }

  private static float[] floats(JsonNode row) {
    float[] values = new float[row.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) row.get(i).asDouble();
    }
    return values;
  }
}
