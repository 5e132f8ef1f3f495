package streaminfer.family.began.tools;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.imageio.ImageIO;
import streaminfer.compare.Metric;
import streaminfer.compare.ResultComparator;
import streaminfer.compare.Tally;
import streaminfer.compare.Tolerances;
import streaminfer.v1.FrameEncoding;
import streaminfer.v1.GeneratedImage;

/**
 * Compares two generators' images of one request (joined by request id and image index): the same
 * bytes, or else the largest difference of a pixel sample (0..255). Images that encode the same
 * pixels differently (another PNG encoder) are equal; pixels that moved more than {@code
 * --max-abs-diff} differ.
 */
public final class ImagesComparator implements ResultComparator<GeneratedImage> {
  static final String IDENTICAL = "identical bytes";
  static final String DIFFERENT_BYTES = "different bytes";
  static final String DIFFERENT_PIXELS = "different pixels";
  static final String MAX_PIXEL_DIFF = "max pixel diff";

  @Override
  public Class<GeneratedImage> recordType() {
    return GeneratedImage.class;
  }

  @Override
  public String joinKey(GeneratedImage record) {
    return Integer.toString(record.getIndex());
  }

  @Override
  public List<Metric> metrics() {
    return List.of(
        Metric.count(IDENTICAL, "image pairs whose encoded bytes are the same"),
        Metric.count(DIFFERENT_BYTES, "image pairs whose encoded bytes differ"),
        Metric.count(DIFFERENT_PIXELS, "image pairs with a pixel sample beyond --max-abs-diff"),
        Metric.distribution(MAX_PIXEL_DIFF, "largest pixel sample difference per pair, 0..255"));
  }

  @Override
  public List<String> compare(
      GeneratedImage a, GeneratedImage b, Tolerances tolerances, Tally tally) {
    List<String> changes = new ArrayList<>();
    if (!Objects.equals(a.getSeed(), b.getSeed())) {
      changes.add("seed " + a.getSeed() + " -> " + b.getSeed());
    }
    if (a.getData().equals(b.getData())) {
      tally.count(IDENTICAL, 1);
      tally.observe(MAX_PIXEL_DIFF, 0);
      return changes;
    }
    tally.count(DIFFERENT_BYTES, 1);
    Raster x;
    Raster y;
    try {
      x = pixels(a);
      y = pixels(b);
    } catch (IOException e) {
      tally.count(DIFFERENT_PIXELS, 1);
      changes.add("undecodable image: " + e.getMessage());
      return changes;
    }
    if (x.getWidth() != y.getWidth()
        || x.getHeight() != y.getHeight()
        || x.getNumBands() != y.getNumBands()) {
      tally.count(DIFFERENT_PIXELS, 1);
      changes.add(
          String.format(
              Locale.ROOT,
              "size %dx%dx%d -> %dx%dx%d",
              x.getWidth(),
              x.getHeight(),
              x.getNumBands(),
              y.getWidth(),
              y.getHeight(),
              y.getNumBands()));
      return changes;
    }
    int[] u = x.getPixels(0, 0, x.getWidth(), x.getHeight(), (int[]) null);
    int[] v = y.getPixels(0, 0, y.getWidth(), y.getHeight(), (int[]) null);
    int max = 0;
    int moved = 0;
    for (int i = 0; i < u.length; i++) {
      int diff = Math.abs(u[i] - v[i]);
      max = Math.max(max, diff);
      if (tolerances.differ(u[i], v[i])) {
        moved++;
      }
    }
    tally.observe(MAX_PIXEL_DIFF, max);
    if (moved > 0) {
      tally.count(DIFFERENT_PIXELS, 1);
      changes.add(
          String.format(
              Locale.ROOT, "%d of %d pixel samples differ, max by %d", moved, u.length, max));
    }
    return changes;
  }

  /** The image's samples: RGB24 as is, PNG and JPEG decoded. */
  private static Raster pixels(GeneratedImage image) throws IOException {
    ByteBuffer data = image.getData().duplicate();
    byte[] bytes = new byte[data.remaining()];
    data.get(bytes);
    if (image.getEncoding() == FrameEncoding.RGB24) {
      int w = image.getWidth();
      int h = image.getHeight();
      if ((long) w * h * 3 != bytes.length) {
        throw new IOException(bytes.length + " bytes for " + w + "x" + h + " RGB24");
      }
      BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
      int[] samples = new int[bytes.length];
      for (int i = 0; i < bytes.length; i++) {
        samples[i] = bytes[i] & 0xFF;
      }
      rgb.getRaster().setPixels(0, 0, w, h, samples);
      return rgb.getRaster();
    }
    BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(bytes));
    if (decoded == null) {
      throw new IOException("not a readable " + image.getEncoding() + " image");
    }
    return decoded.getRaster();
  }
}
