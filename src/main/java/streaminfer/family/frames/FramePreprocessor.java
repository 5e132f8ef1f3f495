package streaminfer.family.frames;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import streaminfer.runtime.ModelMetadata;

/**
 * RGB pixels of any size to the model's input row: bilinear resize to the model's size, then {@code
 * (pixel * scale - mean[c]) / std[c]}, laid out NCHW (float[3 * H * W], planes R, G, B).
 *
 * <p>The resize is PyTorch's {@code interpolate(mode="bilinear", align_corners=False,
 * antialias=False)}: half-pixel centres, source coordinates below 0 clamped to 0, the upper
 * neighbour clamped to the last row or column, no antialiasing when shrinking. Both steps are
 * linear per channel, so normalising the interpolated bytes equals interpolating normalised floats
 * up to float rounding.
 *
 * <p>Thread-safe: immutable but for a cache of the last source size's resize table, which is itself
 * immutable.
 */
public final class FramePreprocessor {
  private final int width;
  private final int height;
  private final float scale;
  private final float[] mean;
  private final float[] std;
  // Per channel: value = byte * gain[c] + bias[c], the normalisation folded into one multiply-add.
  private final float[] gain = new float[3];
  private final float[] bias = new float[3];
  // Streams rarely change size; the last source size's tables are reused, others rebuilt (O(W +
  // H)).
  private volatile ResizeTable last;

  /**
   * @param width model input width, pixels
   * @param height model input height, pixels
   * @param scale pixel multiplier before the mean is subtracted, e.g. 1/255
   */
  public FramePreprocessor(int width, int height, float scale, float[] mean, float[] std) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException(
          "model input size must be positive: " + width + "x" + height);
    }
    if (mean.length != 3 || std.length != 3) {
      throw new IllegalArgumentException(
          "mean and std need 3 values (R, G, B): "
              + Arrays.toString(mean)
              + ", "
              + Arrays.toString(std));
    }
    if (!(scale > 0f) || !Float.isFinite(scale)) {
      throw new IllegalArgumentException("scale must be positive, not " + scale);
    }
    for (int c = 0; c < 3; c++) {
      if (!(std[c] > 0f) || !Float.isFinite(std[c]) || !Float.isFinite(mean[c])) {
        throw new IllegalArgumentException(
            "std must be positive and mean finite: "
                + Arrays.toString(mean)
                + ", "
                + Arrays.toString(std));
      }
      gain[c] = (float) ((double) scale / std[c]);
      bias[c] = (float) (-(double) mean[c] / std[c]);
    }
    this.width = width;
    this.height = height;
    this.scale = scale;
    this.mean = mean.clone();
    this.std = std.clone();
  }

  /**
   * Reads {@code preprocessing} of {@code model.json}: {@code width}, {@code height}, {@code
   * scale}, {@code mean}, {@code std}; {@code channels} RGB, {@code layout} NCHW and {@code resize}
   * bilinear-stretch are the only ones supported and are checked.
   */
  public static FramePreprocessor fromMetadata(ModelMetadata metadata) {
    JsonNode node = metadata.document().path("preprocessing");
    if (!node.isObject()) {
      throw new IllegalArgumentException(metadata.name() + ": model.json has no 'preprocessing'");
    }
    expect(metadata, node, "channels", "RGB");
    expect(metadata, node, "layout", "NCHW");
    expect(metadata, node, "resize", "bilinear-stretch");
    FramePreprocessor preprocessor =
        new FramePreprocessor(
            node.path("width").asInt(),
            node.path("height").asInt(),
            (float) node.path("scale").asDouble(1.0 / 255.0),
            triple(metadata, node, "mean"),
            triple(metadata, node, "std"));
    boolean hasImages = metadata.inputs().stream().anyMatch(spec -> spec.name().equals("images"));
    if (hasImages) {
      long[] shape = metadata.input("images").shape();
      if (shape.length != 4
          || shape[1] != 3
          || (shape[2] >= 0 && shape[2] != preprocessor.height)
          || (shape[3] >= 0 && shape[3] != preprocessor.width)) {
        throw new IllegalArgumentException(
            metadata.name()
                + ": input images has shape "
                + Arrays.toString(shape)
                + " but preprocessing says 3x"
                + preprocessor.height
                + "x"
                + preprocessor.width);
      }
    }
    return preprocessor;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** Values in one row: 3 * height * width. */
  public int rowSize() {
    return 3 * width * height;
  }

  public float scale() {
    return scale;
  }

  public float[] mean() {
    return mean.clone();
  }

  public float[] std() {
    return std.clone();
  }

  /**
   * A new row for {@code image}. Costs about 0.1 ms more than writing into a slot at 320x320 (1.2
   * MB zeroed; a humongous allocation for G1 with regions under 4 MB).
   */
  public float[] preprocess(RgbImage image) {
    float[] row = new float[rowSize()];
    preprocess(image, row, 0);
    return row;
  }

  /**
   * A new row for planes already at the model's size: each value is the plane's byte normalised,
   * bit for bit what {@link #preprocess(RgbImage)} computes for the same pixels interleaved.
   */
  public float[] preprocess(RgbPlanes image) {
    if (image.width() != width || image.height() != height) {
      throw new IllegalArgumentException(
          "planes of "
              + image.width()
              + "x"
              + image.height()
              + " for a "
              + width
              + "x"
              + height
              + " input; only interleaved images are resized");
    }
    int plane = width * height;
    byte[] src = image.planes();
    float[] row = new float[3 * plane];
    for (int c = 0; c < 3; c++) {
      float g = gain[c];
      float b = bias[c];
      for (int i = c * plane, end = i + plane; i < end; i++) {
        row[i] = (src[i] & 0xff) * g + b;
      }
    }
    return row;
  }

  /** Writes the row for {@code image} into {@code out} from {@code offset}, e.g. a batch slot. */
  public void preprocess(RgbImage image, float[] out, int offset) {
    int plane = width * height;
    if (offset < 0 || out.length - offset < 3 * plane) {
      throw new IllegalArgumentException(
          "row needs " + 3 * plane + " floats from offset " + offset + "; array has " + out.length);
    }
    if (image.width() == width && image.height() == height) {
      copy(image.pixels(), out, offset);
      return;
    }
    if (image.width() == 2 * width && image.height() == 2 * height) {
      halve(image.pixels(), out, offset);
      return;
    }
    ResizeTable table = table(image.width(), image.height());
    byte[] src = image.pixels();
    int[] x0 = table.x0;
    int[] x1 = table.x1;
    float[] wx0 = table.wx0;
    float[] wx1 = table.wx1;
    float g0 = gain[0];
    float g1 = gain[1];
    float g2 = gain[2];
    float b0 = bias[0];
    float b1 = bias[1];
    float b2 = bias[2];
    int stride = 3 * image.width();
    for (int y = 0; y < height; y++) {
      int top = table.y0[y] * stride;
      int bottom = table.y1[y] * stride;
      float wy0 = table.wy0[y];
      float wy1 = table.wy1[y];
      int o = offset + y * width;
      for (int x = 0; x < width; x++, o++) {
        int a = top + x0[x];
        int b = top + x1[x];
        int c = bottom + x0[x];
        int d = bottom + x1[x];
        float u0 = wx0[x];
        float u1 = wx1[x];
        // PyTorch's order: rows blended horizontally first, then vertically.
        float r =
            wy0 * (u0 * (src[a] & 0xff) + u1 * (src[b] & 0xff))
                + wy1 * (u0 * (src[c] & 0xff) + u1 * (src[d] & 0xff));
        float gr =
            wy0 * (u0 * (src[a + 1] & 0xff) + u1 * (src[b + 1] & 0xff))
                + wy1 * (u0 * (src[c + 1] & 0xff) + u1 * (src[d + 1] & 0xff));
        float bl =
            wy0 * (u0 * (src[a + 2] & 0xff) + u1 * (src[b + 2] & 0xff))
                + wy1 * (u0 * (src[c + 2] & 0xff) + u1 * (src[d + 2] & 0xff));
        out[o] = r * g0 + b0;
        out[o + plane] = gr * g1 + b1;
        out[o + 2 * plane] = bl * g2 + b2;
      }
    }
  }

  /**
   * Same size: the bilinear weights are 1 and 0, so each value is the pixel itself (bit for bit
   * what the general loop computes, at a fraction of its cost).
   */
  private void copy(byte[] src, float[] out, int offset) {
    int plane = width * height;
    float g0 = gain[0];
    float g1 = gain[1];
    float g2 = gain[2];
    float b0 = bias[0];
    float b1 = bias[1];
    float b2 = bias[2];
    for (int i = 0, o = offset; i < plane; i++, o++) {
      int p = 3 * i;
      out[o] = (src[p] & 0xff) * g0 + b0;
      out[o + plane] = (src[p + 1] & 0xff) * g1 + b1;
      out[o + 2 * plane] = (src[p + 2] & 0xff) * g2 + b2;
    }
  }

  /**
   * Exactly half the size: every source coordinate is 2 * d + 0.5, so every weight is 0.5 and the
   * bilinear value is the mean of a 2x2 block. Sums of four bytes times 0.25 are exact in float, as
   * is the general loop's 0.5 * (0.5 a + 0.5 b) + 0.5 * (0.5 c + 0.5 d): the same value bit for
   * bit.
   */
  private void halve(byte[] src, float[] out, int offset) {
    int plane = width * height;
    int stride = 6 * width;
    float g0 = gain[0];
    float g1 = gain[1];
    float g2 = gain[2];
    float b0 = bias[0];
    float b1 = bias[1];
    float b2 = bias[2];
    int o = offset;
    for (int y = 0; y < height; y++) {
      int top = 2 * y * stride;
      int bottom = top + stride;
      for (int x = 0; x < width; x++, o++, top += 6, bottom += 6) {
        int r =
            (src[top] & 0xff)
                + (src[top + 3] & 0xff)
                + (src[bottom] & 0xff)
                + (src[bottom + 3] & 0xff);
        int gr =
            (src[top + 1] & 0xff)
                + (src[top + 4] & 0xff)
                + (src[bottom + 1] & 0xff)
                + (src[bottom + 4] & 0xff);
        int bl =
            (src[top + 2] & 0xff)
                + (src[top + 5] & 0xff)
                + (src[bottom + 2] & 0xff)
                + (src[bottom + 5] & 0xff);
        out[o] = (r * 0.25f) * g0 + b0;
        out[o + plane] = (gr * 0.25f) * g1 + b1;
        out[o + 2 * plane] = (bl * 0.25f) * g2 + b2;
      }
    }
  }

  private ResizeTable table(int sourceWidth, int sourceHeight) {
    ResizeTable table = last;
    if (table == null || table.sourceWidth != sourceWidth || table.sourceHeight != sourceHeight) {
      table = new ResizeTable(sourceWidth, sourceHeight, width, height);
      last = table;
    }
    return table;
  }

  private static void expect(ModelMetadata metadata, JsonNode node, String field, String value) {
    String actual = node.path(field).asText(value);
    if (!actual.equals(value)) {
      throw new IllegalArgumentException(
          metadata.name()
              + ": preprocessing "
              + field
              + " is "
              + actual
              + "; only "
              + value
              + " is supported");
    }
  }

  private static float[] triple(ModelMetadata metadata, JsonNode node, String field) {
    JsonNode array = node.path(field);
    if (!array.isArray() || array.size() != 3) {
      throw new IllegalArgumentException(
          metadata.name() + ": preprocessing " + field + " must be 3 numbers (R, G, B)");
    }
    float[] values = new float[3];
    for (int c = 0; c < 3; c++) {
      values[c] = (float) array.get(c).asDouble();
    }
    return values;
  }

  /**
   * Source neighbours and weights per output column and row; x offsets are premultiplied by 3
   * (bytes per pixel).
   */
  private static final class ResizeTable {
    final int sourceWidth;
    final int sourceHeight;
    final int[] x0;
    final int[] x1;
    final float[] wx0;
    final float[] wx1;
    final int[] y0;
    final int[] y1;
    final float[] wy0;
    final float[] wy1;

    ResizeTable(int sourceWidth, int sourceHeight, int width, int height) {
      this.sourceWidth = sourceWidth;
      this.sourceHeight = sourceHeight;
      x0 = new int[width];
      x1 = new int[width];
      wx0 = new float[width];
      wx1 = new float[width];
      axis(sourceWidth, width, x0, x1, wx0, wx1);
      for (int x = 0; x < width; x++) {
        x0[x] *= 3;
        x1[x] *= 3;
      }
      y0 = new int[height];
      y1 = new int[height];
      wy0 = new float[height];
      wy1 = new float[height];
      axis(sourceHeight, height, y0, y1, wy0, wy1);
    }

    /**
     * PyTorch's area_pixel_compute_source_index for align_corners=False, in float like its CPU
     * kernel.
     */
    private static void axis(int in, int out, int[] i0, int[] i1, float[] w0, float[] w1) {
      float ratio = (float) in / out;
      for (int d = 0; d < out; d++) {
        float src = Math.max(ratio * (d + 0.5f) - 0.5f, 0f);
        int lo = Math.min((int) src, in - 1);
        float lambda = src - lo;
        i0[d] = lo;
        i1[d] = lo < in - 1 ? lo + 1 : lo;
        w1[d] = lambda;
        w0[d] = 1f - lambda;
      }
    }
  }
}
