package streaminfer.family.began.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import streaminfer.compare.Tally;
import streaminfer.compare.Tolerances;
import streaminfer.family.began.GreyPng;
import streaminfer.v1.FrameEncoding;
import streaminfer.v1.GeneratedImage;

class ImagesComparatorTest {
  private final ImagesComparator comparator = new ImagesComparator();
  private final Tally tally = new Tally(comparator.metrics());

  private static GeneratedImage image(byte[] png) {
    return new GeneratedImage("r1", 2, "g", "1", 2, 2, FrameEncoding.PNG, ByteBuffer.wrap(png), 7L);
  }

  private static byte[] imageIoPng(byte[] levels) throws IOException {
    BufferedImage grey = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
    int[] samples = new int[levels.length];
    for (int i = 0; i < levels.length; i++) {
      samples[i] = levels[i] & 0xFF;
    }
    grey.getRaster().setPixels(0, 0, 2, 2, samples);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(grey, "png", out);
    return out.toByteArray();
  }

  private Map<String, Tally.MetricValue> metrics() {
    return tally.values().stream().collect(Collectors.toMap(v -> v.metric().name(), v -> v));
  }

  @Test
  void theSameBytesAndTheSamePixelsEncodedOtherwiseAreEqual() throws IOException {
    byte[] levels = {0, 64, (byte) 128, (byte) 255};
    GeneratedImage ours = image(GreyPng.encode(levels, 2, 2));

    assertEquals("2", comparator.joinKey(ours));
    assertEquals(List.of(), comparator.compare(ours, ours, Tolerances.exact(), tally));
    assertEquals(
        List.of(), comparator.compare(ours, image(imageIoPng(levels)), Tolerances.exact(), tally));
    assertEquals(1, metrics().get(ImagesComparator.IDENTICAL).n());
    assertEquals(1, metrics().get(ImagesComparator.DIFFERENT_BYTES).n());
    assertEquals(0, metrics().get(ImagesComparator.DIFFERENT_PIXELS).n());
  }

  @Test
  void reportsTheLargestPixelDifferenceBeyondTheTolerance() {
    GeneratedImage a = image(GreyPng.encode(new byte[] {0, 64, (byte) 128, (byte) 255}, 2, 2));
    GeneratedImage b = image(GreyPng.encode(new byte[] {0, 66, (byte) 120, (byte) 255}, 2, 2));

    assertEquals(
        List.of("2 of 4 pixel samples differ, max by 8"),
        comparator.compare(a, b, Tolerances.exact(), tally));
    assertEquals(
        List.of("1 of 4 pixel samples differ, max by 8"),
        comparator.compare(a, b, new Tolerances(2, 0.5), tally));
    assertEquals(8.0, metrics().get(ImagesComparator.MAX_PIXEL_DIFF).max());
  }
}
