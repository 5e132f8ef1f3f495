package streaminfer.family.maskrcnn;

/**
 * Pastes a Mask R-CNN's M x M soft mask into its box at the frame's resolution and thresholds it,
 * straight into COCO RLE counts: torchvision's {@code paste_masks_in_image(padding)} step for step
 * (same float32 arithmetic), so the served masks are the trainer's.
 *
 * <ol>
 *   <li>the mask gets {@code padding} zero pixels on every side, (M + 2p) x (M + 2p);
 *   <li>the box is widened about its centre by (M + 2p) / M and its corners truncated toward zero
 *       to integers;
 *   <li>the padded mask is resized bilinearly (align_corners=False, no antialiasing) to (y1 - y0 +
 *       1) x (x1 - x0 + 1) pixels, at least 1 x 1, and written at (x0, y0), clipped to the frame;
 *   <li>a pixel is on where that value is at least {@code threshold}.
 * </ol>
 *
 * <p>Immutable and thread-safe.
 */
public record MaskPaster(int maskSize, int padding, float threshold) {
  public MaskPaster {
    if (maskSize < 1 || padding < 0) {
      throw new IllegalArgumentException(
          "mask size must be positive and padding not negative: " + maskSize + ", " + padding);
    }
    if (!(threshold > 0f && threshold <= 1f)) {
      throw new IllegalArgumentException("mask threshold must be in (0, 1], not " + threshold);
    }
  }

  /**
   * The RLE counts of mask {@code index} of {@code masks} ([N, 1, M, M] flat) pasted at the box
   * {@code (x0, y0, x1, y1)} in frame pixels into a {@code height} x {@code width} frame.
   */
  public int[] paste(
      float[] masks, int index, float x0, float y0, float x1, float y1, int height, int width) {
    int side = maskSize + 2 * padding;
    float scale = (float) side / maskSize;
    float halfWidth = (x1 - x0) * 0.5f * scale;
    float halfHeight = (y1 - y0) * 0.5f * scale;
    float centreX = (x1 + x0) * 0.5f;
    float centreY = (y1 + y0) * 0.5f;
    long left = (long) (centreX - halfWidth);
    long right = (long) (centreX + halfWidth);
    long top = (long) (centreY - halfHeight);
    long bottom = (long) (centreY + halfHeight);
    int boxWidth = (int) Math.max(right - left + 1, 1);
    int boxHeight = (int) Math.max(bottom - top + 1, 1);
    int fromX = (int) Math.max(left, 0);
    int toX = (int) Math.min(right + 1, width);
    int fromY = (int) Math.max(top, 0);
    int toY = (int) Math.min(bottom + 1, height);

    int offset = index * maskSize * maskSize;
    RleMasks.Builder rle = new RleMasks.Builder();
    if (fromX >= toX || fromY >= toY) {
      return rle.run(false, height * width).build((long) height * width);
    }
    Axis rows = Axis.of(side, boxHeight);
    Axis columns = Axis.of(side, boxWidth);
    rle.run(false, fromX * height);
    for (int x = fromX; x < toX; x++) {
      int column = (int) (x - left);
      rle.run(false, fromY);
      for (int y = fromY; y < toY; y++) {
        int row = (int) (y - top);
        int r0 = rows.index0[row];
        int r1 = rows.index1[row];
        int c0 = columns.index0[column];
        int c1 = columns.index1[column];
        float w0 = columns.weight0[column];
        float w1 = columns.weight1[column];
        float h0 = rows.weight0[row];
        float h1 = rows.weight1[row];
        // PyTorch's CPU kernel interpolates down each column first, then across: the same float
        // operations in the same order, or values at the threshold would round differently.
        float first = h0 * padded(masks, offset, r0, c0) + h1 * padded(masks, offset, r1, c0);
        float second = h0 * padded(masks, offset, r0, c1) + h1 * padded(masks, offset, r1, c1);
        float value = w0 * first + w1 * second;
        rle.pixel(value >= threshold);
      }
      rle.run(false, height - toY);
    }
    rle.run(false, (width - toX) * height);
    return rle.build((long) height * width);
  }

  /** The value at (row, column) of the padded mask: zero in the padding. */
  private float padded(float[] masks, int offset, int row, int column) {
    int r = row - padding;
    int c = column - padding;
    if (r < 0 || c < 0 || r >= maskSize || c >= maskSize) {
      return 0f;
    }
    return masks[offset + r * maskSize + c];
  }

  /** PyTorch's bilinear source indices and weights along one axis (align_corners=False). */
  private record Axis(int[] index0, int[] index1, float[] weight0, float[] weight1) {
    static Axis of(int in, int out) {
      int[] index0 = new int[out];
      int[] index1 = new int[out];
      float[] weight0 = new float[out];
      float[] weight1 = new float[out];
      float scale = (float) in / out;
      for (int i = 0; i < out; i++) {
        float source = Math.max(scale * (i + 0.5f) - 0.5f, 0f);
        int i0 = (int) source;
        int i1 = i0 + (i0 < in - 1 ? 1 : 0);
        float lambda = source - i0;
        index0[i] = i0;
        index1[i] = i1;
        weight0[i] = 1f - lambda;
        weight1[i] = lambda;
      }
      return new Axis(index0, index1, weight0, weight1);
    }
  }
}
