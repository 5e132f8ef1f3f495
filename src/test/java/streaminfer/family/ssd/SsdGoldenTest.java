package streaminfer.family.ssd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import streaminfer.family.frames.FrameImageDecoder;
import streaminfer.family.frames.FramePreprocessor;
import streaminfer.family.frames.RgbImage;
import streaminfer.runtime.DevicePolicy;
import streaminfer.runtime.ModelRepository;
import streaminfer.runtime.ModelSession;
import streaminfer.runtime.SessionTuning;
import streaminfer.runtime.Tensor;
import streaminfer.v1.FrameEncoding;

/**
 * The shipped SSD against the trainer's golden files: ORT Java reproduces the raw heads, the Java
 * preprocessing reproduces the trainer's input tensor from the source frame, and the Java decoding
 * reproduces the trainer's reference detections.
 */
class SsdGoldenTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static ModelSession session;
  private static JsonNode golden;

  @BeforeAll
  static void open() throws IOException {
    session =
        new ModelRepository(Path.of("models"))
            .open("ssd", OptionalInt.empty(), DevicePolicy.CPU, SessionTuning.defaults());
    golden = JSON.readTree(session.directory().resolve("golden.json").toFile());
  }

  @AfterAll
  static void close() {
    session.close();
  }

  @Test
  void onnxRuntimeJavaReproducesTheTrainersRawHeads() throws IOException {
    double atol = golden.at("/tolerance/atol").asDouble();
    double rtol = golden.at("/tolerance/rtol").asDouble();
    for (JsonNode sample : golden.get("samples")) {
      Map<String, Tensor> outputs =
          session
              .runRows(List.of(Map.of("images", Tensor.of(floats(sample.get("tensor"))))))
              .get(0);
      for (String output : List.of("boxes", "logits")) {
        float[] expected = floats(sample.get(output));
        float[] actual = outputs.get(output).floats();
        assertEquals(expected.length, actual.length, output);
        for (int i = 0; i < expected.length; i++) {
          assertTrue(
              Math.abs(expected[i] - actual[i]) <= atol + rtol * Math.abs(expected[i]),
              output + "[" + i + "]: trainer " + expected[i] + ", ORT " + actual[i]);
        }
      }
    }
  }

  @Test
  void javaPreprocessingReproducesTheTrainersInputTensor() throws IOException {
    FramePreprocessor preprocessor = FramePreprocessor.fromMetadata(session.metadata());
    FrameImageDecoder decoder = new FrameImageDecoder();
    for (JsonNode sample : golden.get("samples")) {
      byte[] png = Files.readAllBytes(session.directory().resolve(sample.get("image").asText()));
      java.awt.image.BufferedImage header =
          javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png));
      RgbImage image =
          decoder.decode(
              FrameEncoding.PNG, header.getWidth(), header.getHeight(), ByteBuffer.wrap(png));
      float[] expected = floats(sample.get("tensor"));
      float[] actual = preprocessor.preprocess(image);
      double worst = 0;
      for (int i = 0; i < expected.length; i++) {
        worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
      }
      // Float32 bilinear weights, as PyTorch computes them; normalised units.
      assertTrue(worst < 1e-3, "largest preprocessing difference " + worst);
    }
  }

  @Test
  void javaDecodingReproducesTheTrainersReferenceDetections() throws IOException {
    SsdDecoder decoder =
        SsdDecoder.fromMetadata(
            session.metadata(),
            SsdDecoder.fromMetadata(session.metadata()).postprocessing().withOutputThreshold(0f));
    for (JsonNode sample : golden.get("samples")) {
      List<Box> boxes = decoder.decode(floats(sample.get("boxes")), floats(sample.get("logits")));
      JsonNode expected = sample.get("detections");
      assertEquals(expected.size(), boxes.size(), "detections of " + sample.get("image"));
      for (int i = 0; i < boxes.size(); i++) {
        JsonNode reference = expected.get(i);
        Box box = boxes.get(i);
        assertEquals(reference.get("classId").asInt(), box.classId(), "class of detection " + i);
        assertEquals(reference.get("score").asDouble(), box.score(), 1e-4, "score of " + i);
        assertEquals(reference.get("xMin").asDouble(), box.xMin(), 1e-4);
        assertEquals(reference.get("yMin").asDouble(), box.yMin(), 1e-4);
        assertEquals(reference.get("xMax").asDouble(), box.xMax(), 1e-4);
        assertEquals(reference.get("yMax").asDouble(), box.yMax(), 1e-4);
      }
    }
  }

  private static float[] floats(JsonNode file) throws IOException {
    byte[] bytes = Files.readAllBytes(session.directory().resolve(file.asText()));
    float[] values = new float[bytes.length / 4];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    return values;
  }
}
