package streaminfer.family.frames;

/**
 * Decoded pixels: {@code height} rows of {@code width} pixels of 3 bytes, R, G, B (unsigned).
 *
 * <p>The array is shared, not copied: whoever builds an image hands it over and does not change it.
 */
public record RgbImage(int width, int height, byte[] pixels) {
  public RgbImage {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
    }
    if (pixels.length != 3L * width * height) {
      throw new IllegalArgumentException(
          width
              + "x"
              + height
              + " RGB needs "
              + 3L * width * height
              + " bytes, not "
              + pixels.length);
    }
  }

  /** Channel {@code c} (0 R, 1 G, 2 B) of pixel (x, y), 0..255. */
  public int sample(int x, int y, int c) {
    return pixels[3 * (y * width + x) + c] & 0xff;
  }
}
