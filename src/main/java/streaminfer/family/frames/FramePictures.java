package streaminfer.family.frames;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import javax.imageio.ImageIO;
import streaminfer.family.Drawable;
import streaminfer.v1.Frame;

/**
 * What every family that reads {@link Frame}s shows on the dashboard: the frame as it came (a JPEG
 * or PNG frame's own bytes, no re-encoding) with the shapes its model found. Only RGB24 frames are
 * encoded (PNG), and only for the few answers a second the dashboard samples.
 */
public final class FramePictures {
  private FramePictures() {}

  public static Drawable.Moment moment(Frame frame) {
    return new Drawable.Moment(frame.getStreamId(), frame.getSeq(), frame.getCaptureTimeMicros());
  }

  public static Drawable.Picture picture(Frame frame, List<Drawable.Shape> shapes) {
    ByteBuffer data = frame.getData().duplicate();
    return switch (frame.getEncoding()) {
      case JPEG -> picture(frame, "image/jpeg", bytes(data), shapes);
      case PNG -> picture(frame, "image/png", bytes(data), shapes);
      case RGB24 -> picture(frame, "image/png", png(frame, data), shapes);
    };
  }

  private static Drawable.Picture picture(
      Frame frame, String mediaType, byte[] image, List<Drawable.Shape> shapes) {
    return new Drawable.Picture(
        moment(frame), frame.getWidth(), frame.getHeight(), mediaType, image, shapes);
  }

  private static byte[] bytes(ByteBuffer data) {
    byte[] bytes = new byte[data.remaining()];
    data.get(bytes);
    return bytes;
  }

  private static byte[] png(Frame frame, ByteBuffer data) {
    int width = frame.getWidth();
    int height = frame.getHeight();
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] row = new int[width];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int at = 3 * (y * width + x);
        row[x] =
            (data.get(at) & 0xff) << 16 | (data.get(at + 1) & 0xff) << 8 | data.get(at + 2) & 0xff;
      }
      image.setRGB(0, y, width, 1, row, 0, width);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException("PNG encoding failed", e);
    }
    return out.toByteArray();
  }
}
