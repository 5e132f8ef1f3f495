package streaminfer.family.began;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import streaminfer.family.frames.RgbImage;

class GreyCanvasTest {
  private final GreyCanvas canvas = new GreyCanvas(28, 2, 2f / 255f, -1f);

  private static RgbImage grey(int width, int height, int level) {
    byte[] pixels = new byte[3 * width * height];
    java.util.Arrays.fill(pixels, (byte) level);
    return new RgbImage(width, height, pixels);
  }

  @Test
  void putsA28PixelImageInA32PixelBlackCanvasScaledToMinusOneOne() {
    float[] row = canvas.row(grey(28, 28, 255));
    assertEquals(32 * 32, row.length);
    assertEquals(-1f, row[0]);
    assertEquals(-1f, row[32 + 1]);
    assertEquals(1f, row[2 * 32 + 2], 1e-6);
    assertEquals(1f, row[29 * 32 + 29], 1e-6);
    assertEquals(-1f, row[30 * 32 + 30]);
  }

  @Test
  void averagesTheThreeChannels() {
    RgbImage image = grey(28, 28, 0);
    image.pixels()[0] = (byte) 255; // R of the top-left pixel only
    assertEquals(-1f + 2f / 3f, canvas.row(image)[2 * 32 + 2], 1e-6);
  }

  @Test
  void resizesOtherSizesToTheContentSquare() {
    float[] row = canvas.row(grey(280, 140, 255));
    assertEquals(1f, row[16 * 32 + 16], 1e-6);
    assertEquals(-1f, row[16 * 32 + 1]);
  }
}
