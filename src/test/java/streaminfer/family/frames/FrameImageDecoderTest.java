package streaminfer.family.frames;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;
import streaminfer.family.InvalidInputException;
import streaminfer.v1.Frame;
import streaminfer.v1.FrameEncoding;

public class FrameImageDecoderTest {
  private final FrameImageDecoder decoder = new FrameImageDecoder(100_000);

  @Test
  void passesRgb24BytesThroughAsPixels() {
    byte[] data = new byte[2 * 3 * 3];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 13);
    }
    RgbImage image = decoder.decode(FrameEncoding.RGB24, 3, 2, ByteBuffer.wrap(data));
    assertEquals(3, image.width());
    assertEquals(2, image.height());
    assertArrayEquals(data, image.pixels());
  }

  @Test
  void rejectsRgb24WhoseByteCountDiffersFromTheDeclaredSize() {
    InvalidInputException error =
        assertThrows(
            InvalidInputException.class,
            () -> decoder.decode(FrameEncoding.RGB24, 3, 3, ByteBuffer.allocate(26)));
    assertTrue(error.getMessage().contains("needs 27 bytes, got 26"), error.getMessage());
  }

  @Test
  void decodesAPngToExactlyThePixelsThatWereEncoded() {
    BufferedImage source = scene(64, 48);
    RgbImage image =
        decoder.decode(FrameEncoding.PNG, 64, 48, ByteBuffer.wrap(encode(source, "png")));
    assertArrayEquals(pixelsOf(source), image.pixels());
  }

  @Test
  void decodesAGrayPngByReplicatingTheLevelWithoutGammaConversion() {
    BufferedImage gray = new BufferedImage(4, 2, BufferedImage.TYPE_BYTE_GRAY);
    gray.getRaster().setSample(1, 1, 0, 77);
    RgbImage image = decoder.decode(FrameEncoding.PNG, 4, 2, ByteBuffer.wrap(encode(gray, "png")));
    assertEquals(77, image.sample(1, 1, 0));
    assertEquals(77, image.sample(1, 1, 1));
    assertEquals(77, image.sample(1, 1, 2));
    assertEquals(0, image.sample(0, 0, 0));
  }

  @Test
  void decodesAnRgbaPngDroppingAlpha() {
    BufferedImage rgba = new BufferedImage(3, 3, BufferedImage.TYPE_INT_ARGB);
    rgba.setRGB(2, 1, 0x40_10_20_30);
    RgbImage image = decoder.decode(FrameEncoding.PNG, 3, 3, ByteBuffer.wrap(encode(rgba, "png")));
    assertEquals(0x10, image.sample(2, 1, 0));
    assertEquals(0x20, image.sample(2, 1, 1));
    assertEquals(0x30, image.sample(2, 1, 2));
  }

  @Test
  void decodesAPalettePngThroughTheGeneralPath() {
    BufferedImage indexed = new BufferedImage(5, 5, BufferedImage.TYPE_BYTE_INDEXED);
    indexed.setRGB(3, 4, 0xff0000);
    RgbImage image =
        decoder.decode(FrameEncoding.PNG, 5, 5, ByteBuffer.wrap(encode(indexed, "png")));
    assertEquals(255, image.sample(3, 4, 0));
    assertEquals(0, image.sample(3, 4, 1));
  }

  @Test
  void decodesAJpegToApproximatelyThePixelsThatWereEncoded() {
    BufferedImage source = scene(64, 48);
    RgbImage image =
        decoder.decode(FrameEncoding.JPEG, 64, 48, ByteBuffer.wrap(jpeg(source, 0.95f)));
    byte[] expected = pixelsOf(source);
    double error = 0;
    for (int i = 0; i < expected.length; i++) {
      error += Math.abs((expected[i] & 0xff) - (image.pixels()[i] & 0xff));
    }
    double meanError = error / expected.length;
    // 4:2:0 chroma subsampling smears the sharp colour edges; a channel mix-up would be ~100.
    assertTrue(meanError < 8, "mean absolute error " + meanError);
    // Channel order survives: the top-left of the scene is red-dominated.
    assertTrue(image.sample(2, 2, 0) > image.sample(2, 2, 2) + 100);
  }

  @Test
  void readsFromTheBuffersPositionWithoutMovingIt() {
    byte[] png = encode(scene(8, 8), "png");
    byte[] padded = new byte[png.length + 10];
    System.arraycopy(png, 0, padded, 5, png.length);
    ByteBuffer data = ByteBuffer.wrap(padded, 5, png.length);
    decoder.decode(FrameEncoding.PNG, 8, 8, data);
    assertEquals(5, data.position());
  }

  @Test
  void rejectsBytesThatAreNotAJpeg() {
    InvalidInputException error =
        assertThrows(
            InvalidInputException.class,
            () -> decoder.decode(FrameEncoding.JPEG, 8, 8, ByteBuffer.wrap(new byte[100])));
    assertTrue(
        error.getMessage().contains("JPEG data is corrupt or truncated"), error.getMessage());
  }

  @Test
  void rejectsATruncatedJpegInsteadOfReturningItGreyFilled() {
    byte[] jpeg = jpeg(scene(64, 48), 0.9f);
    byte[] truncated = Arrays.copyOf(jpeg, jpeg.length / 2);
    InvalidInputException error =
        assertThrows(
            InvalidInputException.class,
            () -> decoder.decode(FrameEncoding.JPEG, 64, 48, ByteBuffer.wrap(truncated)));
    assertTrue(
        error.getMessage().contains("JPEG data is corrupt or truncated"), error.getMessage());
  }

  @Test
  void rejectsATruncatedPng() {
    byte[] png = encode(scene(64, 48), "png");
    byte[] truncated = Arrays.copyOf(png, png.length / 2);
    InvalidInputException error =
        assertThrows(
            InvalidInputException.class,
            () -> decoder.decode(FrameEncoding.PNG, 64, 48, ByteBuffer.wrap(truncated)));
    assertTrue(error.getMessage().contains("PNG data is corrupt or truncated"), error.getMessage());
  }

  @Test
  void rejectsAPngWithCorruptCompressedData() {
    byte[] png = encode(scene(64, 48), "png");
    int idat = indexOf(png, "IDAT");
    for (int i = idat + 6; i < idat + 40; i++) {
      png[i] ^= (byte) 0x5a;
    }
    InvalidInputException error =
        assertThrows(
            InvalidInputException.class,
            () -> decoder.decode(FrameEncoding.PNG, 64, 48, ByteBuffer.wrap(png)));
    assertTrue(error.getMessage().contains("PNG data is corrupt or truncated"), error.getMessage());
  }

  @Test
  void rejectsAnImageWhoseSizeContradictsTheDeclaredSize() {
    byte[] png = encode(scene(8, 6), "png");
    InvalidInputException error =
        assertThrows(
            InvalidInputException.class,
            () -> decoder.decode(FrameEncoding.PNG, 6, 8, ByteBuffer.wrap(png)));
    assertTrue(
        error.getMessage().contains("PNG image is 8x6 but the frame declares 6x8"),
        error.getMessage());
  }

  @Test
  void rejectsADeclaredSizeOverThePixelLimit() {
    InvalidInputException error =
        assertThrows(
            InvalidInputException.class,
            () -> decoder.decode(FrameEncoding.RGB24, 1000, 1000, ByteBuffer.allocate(3)));
    assertTrue(error.getMessage().contains("over the limit of 100000 pixels"), error.getMessage());
  }

  @Test
  void rejectsADecompressionBombFromItsHeaderBeforeInflatingIt() {
    // A valid 10x10 PNG whose header claims 60000x60000: inflating it would need 10 GiB.
    byte[] png = withPngSize(encode(scene(10, 10), "png"), 60_000, 60_000);
    InvalidInputException error =
        assertThrows(
            InvalidInputException.class,
            () -> decoder.decode(FrameEncoding.PNG, 10, 10, ByteBuffer.wrap(png)));
    assertTrue(
        error.getMessage().contains("PNG header size 60000x60000 is over the limit"),
        error.getMessage());
  }

  @Test
  void namesTheStreamAndSequenceOfARejectedFrame() {
    Frame frame =
        Frame.newBuilder()
            .setStreamId("cam-7")
            .setSeq(42)
            .setCaptureTimeMicros(0)
            .setWidth(2)
            .setHeight(2)
            .setEncoding(FrameEncoding.RGB24)
            .setData(ByteBuffer.allocate(5))
            .build();
    InvalidInputException error =
        assertThrows(InvalidInputException.class, () -> decoder.decode(frame));
    assertTrue(
        error.getMessage().startsWith("frame cam-7#42: RGB24 2x2 needs 12"), error.getMessage());
  }

  @Test
  void keepsDecodingAfterARejectedFrameOnTheSameThread() {
    assertThrows(
        InvalidInputException.class,
        () ->
            decoder.decode(
                FrameEncoding.JPEG,
                64,
                48,
                ByteBuffer.wrap(Arrays.copyOf(jpeg(scene(64, 48), 0.9f), 300))));
    RgbImage image =
        decoder.decode(FrameEncoding.JPEG, 64, 48, ByteBuffer.wrap(jpeg(scene(64, 48), 0.9f)));
    assertEquals(64, image.width());
  }

  // --- test images, shared with the timing test ---

  /** A synthetic scene: a gradient with a red block, a blue disc and some texture. */
  public static BufferedImage scene(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int r = 40 + 120 * x / width;
        int g = 60 + 100 * y / height + ((x / 4 + y / 4) % 2) * 20;
        int b = 90;
        if (x < width / 3 && y < height / 3) {
          r = 230;
          g = 30;
          b = 30;
        }
        int dx = x - 2 * width / 3;
        int dy = y - height / 2;
        if (dx * dx + dy * dy < width * height / 25) {
          r = 20;
          g = 40;
          b = 220;
        }
        image.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    return image;
  }

  public static byte[] pixelsOf(BufferedImage image) {
    byte[] rgb = new byte[3 * image.getWidth() * image.getHeight()];
    int o = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int argb = image.getRGB(x, y);
        rgb[o++] = (byte) (argb >> 16);
        rgb[o++] = (byte) (argb >> 8);
        rgb[o++] = (byte) argb;
      }
    }
    return rgb;
  }

  public static byte[] encode(BufferedImage image, String format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, format, out)) {
        throw new IllegalStateException("no writer for " + format);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public static byte[] jpeg(BufferedImage image, float quality) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      writer.setOutput(stream);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  /** Rewrites the IHDR width and height (and its CRC) of a PNG. */
  private static byte[] withPngSize(byte[] png, int width, int height) {
    byte[] result = png.clone();
    int ihdr = indexOf(result, "IHDR");
    ByteBuffer.wrap(result, ihdr + 4, 8).putInt(width).putInt(height);
    CRC32 crc = new CRC32();
    crc.update(result, ihdr, 4 + 13);
    ByteBuffer.wrap(result, ihdr + 4 + 13, 4).putInt((int) crc.getValue());
    return result;
  }

  private static int indexOf(byte[] data, String chunk) {
    byte[] name = chunk.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    for (int i = 0; i + name.length <= data.length; i++) {
      if (Arrays.equals(data, i, i + name.length, name, 0, name.length)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no " + chunk + " chunk");
  }
}
