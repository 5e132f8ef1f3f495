package streaminfer.family.maskrcnn;

import java.util.Arrays;
import java.util.List;

/**
 * COCO's uncompressed run-length encoding: pixels visited column-major (down each column, then the
 * next column to the right), counts alternating runs of 0s and 1s, the first a (possibly empty) run
 * of 0s; the counts sum to height * width.
 */
public final class RleMasks {
  private RleMasks() {}

  /**
   * Appends runs in visiting order, merging neighbours of the same value. Not thread-safe: one per
   * mask being encoded.
   */
  public static final class Builder {
    private int[] counts = new int[16];
    private int size;
    private boolean current;
    private long total;

    /** {@code length} pixels of {@code value}, next in column-major order. */
    public Builder run(boolean value, int length) {
      if (length < 0) {
        throw new IllegalArgumentException("a run has no negative length: " + length);
      }
      if (length == 0) {
        return this;
      }
      if (size == 0) {
        append(0);
        current = false;
      }
      if (value != current) {
        append(0);
        current = value;
      }
      counts[size - 1] += length;
      total += length;
      return this;
    }

    public Builder pixel(boolean value) {
      return run(value, 1);
    }

    /** The counts; {@code expectedPixels} guards against a caller that skipped pixels. */
    public int[] build(long expectedPixels) {
      if (total != expectedPixels) {
        throw new IllegalStateException(
            "runs cover " + total + " pixels, the mask has " + expectedPixels);
      }
      return size == 0 ? new int[] {0} : Arrays.copyOf(counts, size);
    }

    private void append(int value) {
      if (size == counts.length) {
        counts = Arrays.copyOf(counts, size * 2);
      }
      counts[size++] = value;
    }
  }

  /** A row-major mask ({@code mask[y * width + x]}) as counts. */
  public static int[] encode(boolean[] mask, int height, int width) {
    if (mask.length != height * width) {
      throw new IllegalArgumentException(
          mask.length + " pixels are not a " + height + " x " + width + " mask");
    }
    Builder builder = new Builder();
    for (int x = 0; x < width; x++) {
      for (int y = 0; y < height; y++) {
        builder.pixel(mask[y * width + x]);
      }
    }
    return builder.build((long) height * width);
  }

  /** Counts back to a row-major mask, by the COCO rules. */
  public static boolean[] decode(List<Integer> counts, int height, int width) {
    long sum = counts.stream().mapToLong(Integer::longValue).sum();
    if (sum != (long) height * width) {
      throw new IllegalArgumentException(
          "counts sum to " + sum + ", not " + height + " x " + width);
    }
    boolean[] mask = new boolean[height * width];
    int position = 0;
    boolean value = false;
    for (int count : counts) {
      for (int i = 0; i < count; i++, position++) {
        if (value) {
          mask[(position % height) * width + position / height] = true;
        }
      }
      value = !value;
    }
    return mask;
  }

  /** Intersection over union of two row-major masks of one size; 1 when both are empty. */
  public static double iou(boolean[] a, boolean[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("masks of " + a.length + " and " + b.length + " pixels");
    }
    long intersection = 0;
    long union = 0;
    for (int i = 0; i < a.length; i++) {
      intersection += a[i] && b[i] ? 1 : 0;
      union += a[i] || b[i] ? 1 : 0;
    }
    return union == 0 ? 1.0 : (double) intersection / union;
  }
}
