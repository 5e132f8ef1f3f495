package streaminfer.source;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Encodes frames as JPEG at a fixed quality, reusing one writer. Not thread-safe. */
public final class JpegEncoder implements AutoCloseable {
  private final ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
  private final ImageWriteParam parameters = writer.getDefaultWriteParam();
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);

  /**
   * @param quality 0..1, as ImageIO's JPEG writer takes it
   */
  public JpegEncoder(float quality) {
    parameters.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    parameters.setCompressionQuality(quality);
  }

  public byte[] encode(BufferedImage image) {
    bytes.reset();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(image, null, null), parameters);
    } catch (IOException e) {
      throw new UncheckedIOException("JPEG encoding failed", e);
    }
    return bytes.toByteArray();
  }

  @Override
  public void close() {
    writer.dispose();
  }
}
