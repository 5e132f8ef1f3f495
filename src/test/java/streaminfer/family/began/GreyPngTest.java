package streaminfer.family.began;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class GreyPngTest {
  /** A ramp that crosses many rounding steps: (i mod 37) / 18 - 1, in float32 on both sides. */
  private static float[] ramp() {
    float[] image = new float[32 * 32];
    for (int i = 0; i < image.length; i++) {
      image[i] = (i % 37) / 18f - 1f;
    }
    return image;
  }

  @Test
  void writesTheTrainersBytesForTheSameImage() throws Exception {
    byte[] png = GreyPng.encode(GreyPng.pixels(ramp()), 32, 32);
    assertEquals(1124, png.length);
    // sha256 of exporters.began.png.encode_grey(to_pixels(the same ramp)).
    assertEquals(
        "b5717d143e9ab3115bbb2e546364dd88f170f333a8dc7b2c228bbd858c6b79f8",
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(png)));
  }

  @Test
  void anyPngReaderDecodesItToTheSameGreyLevels() throws Exception {
    byte[] levels = GreyPng.pixels(ramp());
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(GreyPng.encode(levels, 32, 32)));
    assertEquals(BufferedImage.TYPE_BYTE_GRAY, image.getType());
    byte[] decoded = new byte[levels.length];
    image.getRaster().getDataElements(0, 0, 32, 32, decoded);
    assertArrayEquals(levels, decoded);
  }

  @Test
  void roundsHalfUpAndClampsToTheByteRange() {
    assertArrayEquals(
        new byte[] {0, 0, (byte) 128, (byte) 255, (byte) 255},
        GreyPng.pixels(new float[] {-2f, -1f, 0f, 1f, 3f}));
  }

  @Test
  void splitsRowsOverSeveralStoredBlocksWhenTheyExceedOne() throws Exception {
    byte[] levels = new byte[300 * 300];
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(GreyPng.encode(levels, 300, 300)));
    assertEquals(300, image.getWidth());
  }
}
