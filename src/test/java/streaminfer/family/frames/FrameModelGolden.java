package streaminfer.family.frames;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import javax.imageio.ImageIO;
import streaminfer.runtime.DevicePolicy;
import streaminfer.runtime.ModelRepository;
import streaminfer.runtime.ModelSession;
import streaminfer.runtime.SessionTuning;
import streaminfer.v1.FrameEncoding;

/**
 * A shipped frame model with the golden files its trainer wrote beside it ({@code golden.json}:
 * samples naming a source PNG and little-endian float32 tensors, and the parity tolerance), and the
 * checks every frame family's golden test makes of them.
 */
public final class FrameModelGolden implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ModelSession session;
  private final JsonNode golden;

  private FrameModelGolden(ModelSession session, JsonNode golden) {
    this.session = session;
    this.golden = golden;
  }

  /** Opens the newest version of {@code model} under {@code models/} on the CPU. */
  public static FrameModelGolden open(String model) throws IOException {
    ModelSession session =
        new ModelRepository(Path.of("models"))
            .open(model, OptionalInt.empty(), DevicePolicy.CPU, SessionTuning.defaults());
    try {
      return new FrameModelGolden(
          session, JSON.readTree(session.directory().resolve("golden.json").toFile()));
    } catch (IOException | RuntimeException e) {
      session.close();
      throw e;
    }
  }

  public ModelSession session() {
    return session;
  }

  public JsonNode samples() {
    return golden.get("samples");
  }

  /** The float32 tensor file a sample's field names. */
  public float[] floats(JsonNode file) throws IOException {
    byte[] bytes = Files.readAllBytes(session.directory().resolve(file.asText()));
    float[] values = new float[bytes.length / 4];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    return values;
  }

  /** A sample's source frame, decoded as the pipeline decodes a PNG frame. */
  public RgbImage image(JsonNode sample) throws IOException {
    byte[] png = Files.readAllBytes(session.directory().resolve(sample.get("image").asText()));
    BufferedImage header = ImageIO.read(new ByteArrayInputStream(png));
    return new FrameImageDecoder()
        .decode(FrameEncoding.PNG, header.getWidth(), header.getHeight(), ByteBuffer.wrap(png));
  }

  /** Asserts ORT's {@code actual} output within the golden file's tolerance of the trainer's. */
  public void assertWithinTolerance(String output, float[] expected, float[] actual) {
    double atol = golden.at("/tolerance/atol").asDouble();
    double rtol = golden.at("/tolerance/rtol").asDouble();
    assertEquals(expected.length, actual.length, output);
    for (int i = 0; i < expected.length; i++) {
      assertTrue(
          Math.abs(expected[i] - actual[i]) <= atol + rtol * Math.abs(expected[i]),
          output + "[" + i + "]: trainer " + expected[i] + ", ORT " + actual[i]);
    }
  }

  /** Asserts that the Java preprocessing turns every sample's frame into the trainer's tensor. */
  public void assertPreprocessingReproducesTheTrainersTensors() throws IOException {
    FramePreprocessor preprocessor = FramePreprocessor.fromMetadata(session.metadata());
    for (JsonNode sample : samples()) {
      float[] expected = floats(sample.get("tensor"));
      float[] actual = preprocessor.preprocess(image(sample));
      double worst = 0;
      for (int i = 0; i < expected.length; i++) {
        worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
      }
      // Float32 bilinear weights, as PyTorch computes them; normalised units.
      assertTrue(worst < 1e-3, "largest preprocessing difference " + worst);
    }
  }

  @Override
  public void close() {
    session.close();
  }
}
