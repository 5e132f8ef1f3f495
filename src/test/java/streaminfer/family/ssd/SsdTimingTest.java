package streaminfer.family.ssd;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import streaminfer.family.frames.FrameImageDecoder;
import streaminfer.family.frames.FrameImageDecoderTest;
import streaminfer.family.frames.FramePreprocessor;
import streaminfer.family.frames.FramePreprocessorTest;
import streaminfer.family.frames.RgbImage;
import streaminfer.v1.Frame;
import streaminfer.v1.FrameEncoding;

/**
 * Prints per-image costs of the SSD family's steps; asserts nothing about time (shared CI cores).
 * Short runs: numbers are indicative, after a JIT warm-up of the same length.
 */
class SsdTimingTest {
  private static final List<String> LABELS = List.of("cat", "dog", "bird");

  @Test
  void printsDecodeMicrosecondsPerImage() {
    SplittableRandom random = new SplittableRandom(11);
    for (int priors : new int[] {1000, 3000}) {
      float[] priorRows = SsdDecoderTest.randomPriors(priors, random);
      float[] boxes = SsdDecoderTest.randomOffsets(priors, random);
      for (double lead : new double[] {-1, 2.5, 0}) {
        float[] logits =
            lead < 0
                ? trainedLike(priors, random)
                : SsdDecoderTest.randomLogits(priors, random, lead);
        for (SsdPostprocessing post :
            List.of(
                SsdPostprocessing.defaults(),
                SsdPostprocessing.defaults().withOutputThreshold(0f))) {
          SsdDecoder decoder = new SsdDecoder(priorRows, new float[] {0.1f, 0.2f}, LABELS, post);
          int found = decoder.decode(boxes, logits).size();
          double micros = time(1000, () -> decoder.decode(boxes, logits).size()) / 1e3;
          System.out.printf(
              "ssd decode: P=%d C=3 %s, outputThreshold %.2f: %.1f us/image, %d boxes%n",
              priors,
              lead < 0 ? "trained-like (5 objects)" : "random, background lead " + lead,
              post.outputThreshold(),
              micros,
              found);
        }
      }
    }
  }

  @Test
  void printsPreprocessMillisecondsPerFrame() {
    FramePreprocessor preprocessor =
        new FramePreprocessor(
            320, 320, 1f / 255, new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.25f, 0.25f, 0.25f});
    float[] slot = new float[preprocessor.rowSize()];
    for (int[] size : new int[][] {{320, 320}, {640, 480}, {1280, 720}}) {
      RgbImage image = FramePreprocessorTest.randomImage(size[0], size[1], new SplittableRandom(1));
      double fresh = time(200, () -> preprocessor.preprocess(image).length) / 1e6;
      double reused =
          time(
                  200,
                  () -> {
                    preprocessor.preprocess(image, slot, 0);
                    return slot.length;
                  })
              / 1e6;
      System.out.printf(
          "ssd preprocess %dx%d -> 320x320: %.3f ms (new row), %.3f ms (into a slot)%n",
          size[0], size[1], fresh, reused);
    }
  }

  @Test
  void printsImageDecodeMillisecondsPerFrame() {
    FrameImageDecoder decoder = new FrameImageDecoder();
    var scene = FrameImageDecoderTest.scene(320, 320);
    byte[] jpeg = FrameImageDecoderTest.jpeg(scene, 0.85f);
    byte[] png = FrameImageDecoderTest.encode(scene, "png");
    byte[] rgb = FrameImageDecoderTest.pixelsOf(scene);
    for (var entry :
        List.of(
            new Object[] {FrameEncoding.JPEG, jpeg},
            new Object[] {FrameEncoding.PNG, png},
            new Object[] {FrameEncoding.RGB24, rgb})) {
      FrameEncoding encoding = (FrameEncoding) entry[0];
      byte[] data = (byte[]) entry[1];
      assertFalse(decoder.decode(encoding, 320, 320, ByteBuffer.wrap(data)).pixels().length == 0);
      double millis =
          time(200, () -> decoder.decode(encoding, 320, 320, ByteBuffer.wrap(data)).width()) / 1e6;
      System.out.printf(
          "ssd image decode 320x320 %s (%d bytes): %.3f ms%n", encoding, data.length, millis);
    }
    Frame frame =
        Frame.newBuilder()
            .setStreamId("timing")
            .setSeq(0)
            .setCaptureTimeMicros(0)
            .setEncoding(FrameEncoding.JPEG)
            .setWidth(320)
            .setHeight(320)
            .setData(ByteBuffer.wrap(jpeg))
            .build();
    FramePreprocessor input =
        new FramePreprocessor(
            160, 160, 1f / 255, new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.25f, 0.25f, 0.25f});
    assertFalse(decoder.inputRow(frame, input).length != 3 * 160 * 160);
    double half = time(200, () -> decoder.inputRow(frame, input).length) / 1e6;
    System.out.printf(
        "ssd input row from a 320x320 JPEG (FFmpeg at half size, 160x160 planes): %.3f ms%n", half);
  }

  /**
   * A trained detector's output: background confidently ahead everywhere but on 5 objects, each
   * matched by 20 priors scoring its class above background.
   */
  private static float[] trainedLike(int priors, SplittableRandom random) {
    float[] logits = SsdDecoderTest.randomLogits(priors, random, 8);
    for (int object = 0; object < 5; object++) {
      int column = 1 + random.nextInt(LABELS.size());
      for (int i = 0; i < 20; i++) {
        int row = 4 * random.nextInt(priors);
        logits[row + column] = logits[row] + (float) random.nextDouble(0, 4);
      }
    }
    return logits;
  }

  /** Mean nanoseconds per call after as many warm-up calls. */
  private static double time(int iterations, IntSupplier work) {
    int sink = 0;
    for (int i = 0; i < iterations; i++) {
      sink += work.getAsInt();
    }
    long start = System.nanoTime();
    for (int i = 0; i < iterations; i++) {
      sink += work.getAsInt();
    }
    long elapsed = System.nanoTime() - start;
    if (sink == 42) {
      System.out.print("");
    }
    return (double) elapsed / iterations;
  }
}
