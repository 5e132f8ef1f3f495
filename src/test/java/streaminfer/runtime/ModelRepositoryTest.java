package streaminfer.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the shipped D-GEX model: the parity check and the start-up validation of a repository. */
class ModelRepositoryTest {
  private static final Path SHIPPED = Path.of("models");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path repository;

  @Test
  void reproducesTheTrainersGoldenOutputsWithOnnxRuntimeJava() throws IOException {
    try (ModelSession session = open(SHIPPED)) {
      JsonNode golden =
          JSON.readTree(session.directory().resolve(session.metadata().golden()).toFile());
      String input = golden.get("input").asText();
      String output = golden.get("output").asText();
      double atol = golden.at("/tolerance/atol").asDouble();
      double rtol = golden.at("/tolerance/rtol").asDouble();
      List<Map<String, Tensor>> rows = new ArrayList<>();
      golden.get("inputs").forEach(row -> rows.add(Map.of(input, Tensor.of(floats(row)))));
      List<Map<String, Tensor>> outputs = session.runRows(rows);
      assertEquals(rows.size(), outputs.size());
      for (int r = 0; r < rows.size(); r++) {
        float[] expected = floats(golden.get("outputs").get(r));
        float[] actual = outputs.get(r).get(output).floats();
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
          double bound = atol + rtol * Math.abs(expected[i]);
          assertTrue(
              Math.abs(expected[i] - actual[i]) <= bound,
              "sample " + r + " gene " + i + ": trainer " + expected[i] + ", ORT " + actual[i]);
        }
      }
    }
  }

  @Test
  void runsOnTheCpuWhenTheBuildHasNoCudaAndTheGpuIsOnlyPreferred() {
    try (ModelSession session =
        new ModelRepository(SHIPPED)
            .open("dgex", OptionalInt.empty(), DevicePolicy.PREFER_GPU, SessionTuning.defaults())) {
      if (session.device() == Device.CPU) {
        assertTrue(session.fallbackReason().isPresent(), "a CPU fallback must say why");
      }
    }
  }

  @Test
  void failsTheStartNamingAMissingGraphFile() throws IOException {
    Path version = copyShipped();
    Files.delete(version.resolve("model.onnx"));
    ModelLoadException error = assertThrows(ModelLoadException.class, () -> open(repository));
    assertTrue(error.getMessage().contains(version.resolve("model.onnx").toString()));
  }

  @Test
  void failsTheStartWhenTheGraphDoesNotMatchItsChecksum() throws IOException {
    Path version = copyShipped();
    ObjectNode metadata = metadata(version);
    metadata.put("sha256", "0".repeat(64));
    writeMetadata(version, metadata);
    ModelLoadException error = assertThrows(ModelLoadException.class, () -> open(repository));
    assertTrue(error.getMessage().contains("sha256"), error.getMessage());
  }

  @Test
  void failsTheStartNamingAGraphOnnxRuntimeCannotParse() throws IOException {
    Path version = copyShipped();
    Files.write(version.resolve("model.onnx"), new byte[] {1, 2, 3, 4});
    ObjectNode metadata = metadata(version);
    metadata.put("sha256", ModelRepository.sha256(version.resolve("model.onnx")));
    writeMetadata(version, metadata);
    ModelLoadException error = assertThrows(ModelLoadException.class, () -> open(repository));
    assertTrue(error.getMessage().contains("cannot load"), error.getMessage());
    assertTrue(error.getMessage().contains(version.resolve("model.onnx").toString()));
  }

  @Test
  void failsTheStartWhenModelJsonContradictsTheGraphsShape() throws IOException {
    Path version = copyShipped();
    ObjectNode metadata = metadata(version);
    ArrayNode shape = (ArrayNode) metadata.get("inputs").get(0).get("shape");
    shape.set(1, JSON.getNodeFactory().numberNode(shape.get(1).asLong() + 1));
    writeMetadata(version, metadata);
    ModelLoadException error = assertThrows(ModelLoadException.class, () -> open(repository));
    assertTrue(error.getMessage().contains("shape"), error.getMessage());
  }

  @Test
  void failsTheStartNamingModelTensorAndBothDtypesWhenModelJsonContradictsTheGraph() {
    ModelLoadException error =
        assertThrows(ModelLoadException.class, () -> TinyModels.open("mismatched"));
    assertTrue(error.getMessage().contains("model mismatched/1"), error.getMessage());
    assertTrue(
        error.getMessage().contains("input int64_in is int64 in the graph"), error.getMessage());
    assertTrue(error.getMessage().contains("model.json declares int32"), error.getMessage());
  }

  @Test
  void picksTheHighestNumberedVersion() throws IOException {
    copyShipped();
    Files.createDirectories(repository.resolve("dgex").resolve("10"));
    Files.createDirectories(repository.resolve("dgex").resolve("9"));
    assertEquals(
        repository.resolve("dgex").resolve("10"),
        new ModelRepository(repository).versionDirectory("dgex", OptionalInt.empty()));
  }

  private static ModelSession open(Path root) {
    return new ModelRepository(root)
        .open("dgex", OptionalInt.empty(), DevicePolicy.CPU, SessionTuning.defaults());
  }

  private Path copyShipped() throws IOException {
    Path source = new ModelRepository(SHIPPED).versionDirectory("dgex", OptionalInt.empty());
    Path target = repository.resolve("dgex").resolve(source.getFileName().toString());
    Files.createDirectories(target);
    for (String file : List.of("model.onnx", "model.json")) {
      Files.copy(source.resolve(file), target.resolve(file));
    }
    return target;
  }

  private static ObjectNode metadata(Path version) throws IOException {
    return (ObjectNode) JSON.readTree(version.resolve("model.json").toFile());
  }

  private static void writeMetadata(Path version, ObjectNode metadata) throws IOException {
    JSON.writeValue(version.resolve("model.json").toFile(), metadata);
  }

  private static float[] floats(JsonNode row) {
    float[] values = new float[row.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) row.get(i).asDouble();
    }
    return values;
  }
}
