package streaminfer.family.frames;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import streaminfer.runtime.Batching;
import streaminfer.runtime.ModelMetadata;
import streaminfer.runtime.TensorSpec;

public class FramePreprocessorTest {
  private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
  private static final float[] STD = {0.229f, 0.224f, 0.225f};

  @Test
  void resizesLikePytorchBilinearWithoutAlignCornersUpAndDown() {
    SplittableRandom random = new SplittableRandom(3);
    int[][] sizes = {{320, 320}, {640, 480}, {97, 61}, {5, 3}, {1, 1}, {320, 17}, {1000, 700}};
    for (int[] size : sizes) {
      RgbImage image = randomImage(size[0], size[1], random);
      for (int[] target : new int[][] {{320, 320}, {37, 23}}) {
        FramePreprocessor preprocessor =
            new FramePreprocessor(target[0], target[1], 1f / 255, MEAN, STD);
        float[] expected = reference(image, target[0], target[1]);
        float[] actual = preprocessor.preprocess(image);
        assertClose(expected, actual, 1e-4f, size[0] + "x" + size[1] + " -> " + target[0]);
      }
    }
  }

  @Test
  void halvesByTheBilinearResizesOwn2x2MeanAndCopiesAtEqualSizes() {
    SplittableRandom random = new SplittableRandom(7);
    for (int[] size : new int[][] {{64, 48}, {320, 320}, {2, 2}, {6, 10}}) {
      RgbImage image = randomImage(size[0], size[1], random);
      for (int divisor : new int[] {1, 2}) {
        int width = size[0] / divisor;
        int height = size[1] / divisor;
        FramePreprocessor preprocessor = new FramePreprocessor(width, height, 1f / 255, MEAN, STD);
        assertClose(
            reference(image, width, height),
            preprocessor.preprocess(image),
            1e-5f,
            size[0] + "x" + size[1] + " / " + divisor);
      }
    }
  }

  @Test
  void copiesPixelsUnchangedWhenTheSizesAreEqual() {
    RgbImage image = randomImage(31, 17, new SplittableRandom(5));
    FramePreprocessor identity = new FramePreprocessor(31, 17, 1f, new float[3], ones());
    float[] row = identity.preprocess(image);
    int plane = 31 * 17;
    for (int y = 0; y < 17; y++) {
      for (int x = 0; x < 31; x++) {
        for (int c = 0; c < 3; c++) {
          assertEquals(image.sample(x, y, c), row[c * plane + y * 31 + x]);
        }
      }
    }
  }

  @Test
  void normalisesEachChannelByItsMeanAndStdInChannelPlanes() {
    byte[] pixels = new byte[2 * 2 * 3];
    for (int i = 0; i < pixels.length; i += 3) {
      pixels[i] = (byte) 255;
      pixels[i + 1] = (byte) 0;
      pixels[i + 2] = (byte) 51;
    }
    FramePreprocessor preprocessor = new FramePreprocessor(3, 3, 1f / 255, MEAN, STD);
    float[] row = preprocessor.preprocess(new RgbImage(2, 2, pixels));

    assertEquals(27, row.length);
    for (int i = 0; i < 9; i++) {
      assertEquals((1f - MEAN[0]) / STD[0], row[i], 1e-5f);
      assertEquals((0f - MEAN[1]) / STD[1], row[9 + i], 1e-5f);
      assertEquals((0.2f - MEAN[2]) / STD[2], row[18 + i], 1e-5f);
    }
  }

  @Test
  void writesIntoACallersBatchSlotAtAnOffset() {
    FramePreprocessor preprocessor = new FramePreprocessor(4, 4, 1f / 255, MEAN, STD);
    RgbImage image = randomImage(9, 7, new SplittableRandom(1));
    float[] batch = new float[2 * preprocessor.rowSize()];
    preprocessor.preprocess(image, batch, preprocessor.rowSize());
    float[] alone = preprocessor.preprocess(image);
    for (int i = 0; i < alone.length; i++) {
      assertEquals(0f, batch[i]);
      assertEquals(alone[i], batch[preprocessor.rowSize() + i]);
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> preprocessor.preprocess(image, batch, preprocessor.rowSize() + 1));
  }

  @Test
  void readsTheModelsPreprocessingFromModelJson() throws Exception {
    FramePreprocessor preprocessor = FramePreprocessor.fromMetadata(metadata("NCHW", 300));
    assertEquals(300, preprocessor.width());
    assertEquals(200, preprocessor.height());
    assertEquals(1f / 255, preprocessor.scale(), 1e-9f);
    assertEquals(MEAN[2], preprocessor.mean()[2]);
    assertEquals(STD[1], preprocessor.std()[1]);
  }

  @Test
  void rejectsALayoutItCannotProduce() throws Exception {
    IllegalArgumentException error =
        assertThrows(
            IllegalArgumentException.class,
            () -> FramePreprocessor.fromMetadata(metadata("NHWC", 300)));
    assertTrue(error.getMessage().contains("layout is NHWC"), error.getMessage());
  }

  @Test
  void rejectsASizeThatContradictsTheImagesInput() throws Exception {
    IllegalArgumentException error =
        assertThrows(
            IllegalArgumentException.class,
            () -> FramePreprocessor.fromMetadata(metadata("NCHW", 320)));
    assertTrue(error.getMessage().contains("[-1, 3, 200, 320]"), error.getMessage());
  }

  /**
   * PyTorch's {@code interpolate(bilinear, align_corners=False)} on the float image, written from
   * its definition, then the normalisation. Source coordinates are computed in float as PyTorch's
   * CPU kernel does for a float32 tensor: in double they drift by up to 4e-5 pixels on a 640 -> 37
   * shrink, 2e-4 after normalisation; the blend is in double.
   */
  static float[] reference(RgbImage image, int outWidth, int outHeight) {
    float[] out = new float[3 * outWidth * outHeight];
    float scaleX = (float) image.width() / outWidth;
    float scaleY = (float) image.height() / outHeight;
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < outHeight; y++) {
        float sy = Math.max(0f, (y + 0.5f) * scaleY - 0.5f);
        int y0 = (int) Math.floor(sy);
        int y1 = Math.min(y0 + 1, image.height() - 1);
        double ly = sy - y0; // float minus int, exact
        for (int x = 0; x < outWidth; x++) {
          float sx = Math.max(0f, (x + 0.5f) * scaleX - 0.5f);
          int x0 = (int) Math.floor(sx);
          int x1 = Math.min(x0 + 1, image.width() - 1);
          double lx = sx - x0;
          double top = (1 - lx) * value(image, x0, y0, c) + lx * value(image, x1, y0, c);
          double bottom = (1 - lx) * value(image, x0, y1, c) + lx * value(image, x1, y1, c);
          double v = (1 - ly) * top + ly * bottom;
          out[c * outWidth * outHeight + y * outWidth + x] = (float) ((v - MEAN[c]) / STD[c]);
        }
      }
    }
    return out;
  }

  private static double value(RgbImage image, int x, int y, int c) {
    return image.sample(x, y, c) / 255.0;
  }

  public static RgbImage randomImage(int width, int height, SplittableRandom random) {
    byte[] pixels = new byte[3 * width * height];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) random.nextInt(256);
    }
    return new RgbImage(width, height, pixels);
  }

  private static void assertClose(float[] expected, float[] actual, float tolerance, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      if (Math.abs(expected[i] - actual[i]) > tolerance) {
        assertEquals(expected[i], actual[i], tolerance, what + " at " + i);
      }
    }
  }

  private static float[] ones() {
    return new float[] {1f, 1f, 1f};
  }

  private static ModelMetadata metadata(String layout, int inputWidth) throws Exception {
    String json =
        "{\"preprocessing\": {\"width\": 300, \"height\": 200, \"channels\": \"RGB\", \"layout\": \""
            + layout
            + "\", \"resize\": \"bilinear-stretch\", \"scale\": 0.00392156862745098,"
            + " \"mean\": [0.485, 0.456, 0.406], \"std\": [0.229, 0.224, 0.225]}}";
    return new ModelMetadata(
        "ssd",
        1,
        "ssd",
        List.of(new TensorSpec("images", "float32", new long[] {-1, 3, 200, inputWidth})),
        List.of(new TensorSpec("boxes", "float32", new long[] {-1, 1, 4})),
        "0".repeat(64),
        null,
        Batching.BATCH,
        new ObjectMapper().readTree(json));
  }
}
