package streaminfer.family.maskrcnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import javax.imageio.ImageIO;
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
import streaminfer.v1.SegmentedInstance;

/**
 * The shipped Mask R-CNN against the trainer's golden files: ORT Java reproduces the graph's
 * detections, the Java preprocessing the trainer's input tensor, and the Java pasting, thresholding
 * and RLE the trainer's served masks.
 */
class MaskrcnnGoldenTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static ModelSession session;
  private static JsonNode golden;

  @BeforeAll
  static void open() throws IOException {
    session =
        new ModelRepository(java.nio.file.Path.of("models"))
            .open("maskrcnn", OptionalInt.empty(), DevicePolicy.CPU, SessionTuning.defaults());
    golden = JSON.readTree(session.directory().resolve("golden.json").toFile());
  }

  @AfterAll
  static void close() {
    session.close();
  }

  @Test
  void onnxRuntimeJavaReproducesTheTrainersDetections() throws IOException {
    double atol = golden.at("/tolerance/atol").asDouble();
    double rtol = golden.at("/tolerance/rtol").asDouble();
    for (JsonNode sample : golden.get("samples")) {
      Map<String, Tensor> outputs =
          session.runRows(List.of(Map.of("image", Tensor.of(floats(sample.get("tensor")))))).get(0);
      int count = sample.get("count").asInt();
      assertEquals(count, outputs.get("scores").floats().length, "detections of " + sample);
      long[] labels = new long[count];
      for (int i = 0; i < count; i++) {
        labels[i] = sample.get("labels").get(i).asLong();
      }
      assertArrayEquals(labels, outputs.get("labels").longs());
      for (String output : List.of("boxes", "scores", "masks")) {
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
    for (JsonNode sample : golden.get("samples")) {
      RgbImage image = image(sample);
      float[] expected = floats(sample.get("tensor"));
      float[] actual = preprocessor.preprocess(image);
      double worst = 0;
      for (int i = 0; i < expected.length; i++) {
        worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
      }
      assertTrue(worst < 1e-3, "largest preprocessing difference " + worst);
    }
  }

  @Test
  void javaPastingReproducesTheTrainersServedMasksExactly() throws IOException {
    SegmentationTask task = task();
    for (JsonNode sample : golden.get("samples")) {
      RgbImage image = image(sample);
      int count = sample.get("count").asInt();
      long[] labels = new long[count];
      for (int i = 0; i < count; i++) {
        labels[i] = sample.get("labels").get(i).asLong();
      }
      List<SegmentedInstance> served =
          task.instances(
              image.width(),
              image.height(),
              floats(sample.get("boxes")),
              labels,
              floats(sample.get("scores")),
              floats(sample.get("masks")));
      JsonNode expected = sample.get("instances");
      assertEquals(expected.size(), served.size(), "instances of " + sample.get("image"));
      for (int i = 0; i < served.size(); i++) {
        JsonNode reference = expected.get(i);
        SegmentedInstance instance = served.get(i);
        assertEquals(reference.get("classId").asInt(), instance.getDetection().getClassId());
        assertEquals(reference.get("xMin").asDouble(), instance.getDetection().getXMin(), 1e-5);
        assertEquals(reference.get("yMax").asDouble(), instance.getDetection().getYMax(), 1e-5);
        List<Integer> counts = new ArrayList<>();
        reference.at("/mask/counts").forEach(c -> counts.add(c.asInt()));
        assertEquals(counts, instance.getMask().getCounts(), "mask of instance " + i);
      }
    }
  }

  static SegmentationTask task() {
    return new SegmentationTask(
        session.metadata(),
        new FrameImageDecoder(),
        MaskrcnnPostprocessing.of(
            session.metadata(),
            new MaskrcnnSettings(
                FrameImageDecoder.DEFAULT_MAX_PIXELS,
                Optional.empty(),
                Optional.empty(),
                Optional.empty())),
        Optional.empty(),
        Clock.systemUTC());
  }

  private static RgbImage image(JsonNode sample) throws IOException {
    byte[] png = Files.readAllBytes(session.directory().resolve(sample.get("image").asText()));
    java.awt.image.BufferedImage header = ImageIO.read(new ByteArrayInputStream(png));
    return new FrameImageDecoder()
        .decode(FrameEncoding.PNG, header.getWidth(), header.getHeight(), ByteBuffer.wrap(png));
  }

  private static float[] floats(JsonNode file) throws IOException {
    byte[] bytes = Files.readAllBytes(session.directory().resolve(file.asText()));
    float[] values = new float[bytes.length / 4];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    return values;
  }
}
