package streaminfer.family.frames;

/**
 * Decoded pixels as three planes, R then G then B, each {@code height} rows of {@code width}
 * unsigned bytes: the layout of an NCHW model input, so normalising it is one sequential pass per
 * plane instead of a gather from interleaved pixels.
 *
 * <p>The array is shared, not copied: whoever builds the planes hands them over.
 */
public record RgbPlanes(int width, int height, byte[] planes) {
  public RgbPlanes {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
    }
    if (planes.length != 3L * width * height) {
      throw new IllegalArgumentException(
          width
              + "x"
              + height
              + " RGB planes need "
              + 3L * width * height
              + " bytes, not "
              + planes.length);
    }
  }

  /** Channel {@code c} (0 R, 1 G, 2 B) of pixel (x, y), 0..255. */
  public int sample(int x, int y, int c) {
    return planes[(c * height + y) * width + x] & 0xff;
  }
}
