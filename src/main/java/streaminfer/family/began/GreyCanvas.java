package streaminfer.family.began;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import streaminfer.family.frames.FramePreprocessor;
import streaminfer.family.frames.RgbImage;
import streaminfer.runtime.ModelMetadata;

/**
 * A decoded frame to the discriminator's input row, as the trainer prepared its images: resized
 * (the shared bilinear resize) to the {@code content_size} square, grey as the mean of R, G and B,
 * scaled into [-1, 1], then a {@code border} of -1 (black) on every side: MNIST's 28x28 digits in a
 * 32x32 canvas. A frame already at the content size is not resampled.
 *
 * <p>Thread-safe: the shared preprocessor is.
 */
final class GreyCanvas {
  private static final float BLACK = -1f;
  private final FramePreprocessor content;
  private final int border;
  private final int side;

  GreyCanvas(int contentSize, int border, float scale, float offset) {
    if (contentSize <= 0 || border < 0) {
      throw new IllegalArgumentException(
          "content size must be positive and border not negative: " + contentSize + ", " + border);
    }
    // (pixel * scale - mean) / std with mean = -offset, std = 1: pixel * scale + offset.
    float[] mean = {-offset, -offset, -offset};
    this.content =
        new FramePreprocessor(contentSize, contentSize, scale, mean, new float[] {1f, 1f, 1f});
    this.border = border;
    this.side = contentSize + 2 * border;
  }

  /** Reads {@code preprocessing} of the discriminator's model.json. */
  static GreyCanvas fromMetadata(ModelMetadata metadata) {
    JsonNode node = metadata.document().path("preprocessing");
    for (String key : new String[] {"content_size", "border", "scale", "offset"}) {
      if (!node.path(key).isNumber()) {
        throw new IllegalArgumentException(
            metadata.name() + ": model.json preprocessing has no number '" + key + "'");
      }
    }
    GreyCanvas canvas =
        new GreyCanvas(
            node.path("content_size").asInt(),
            node.path("border").asInt(),
            (float) node.path("scale").asDouble(),
            (float) node.path("offset").asDouble());
    long[] shape = metadata.inputs().get(0).shape();
    if (shape.length != 4 || shape[1] != 1 || shape[2] != canvas.side || shape[3] != canvas.side) {
      throw new IllegalArgumentException(
          metadata.name()
              + ": input must be [-1, 1, "
              + canvas.side
              + ", "
              + canvas.side
              + "] for content_size and border of its preprocessing");
    }
    return canvas;
  }

  int side() {
    return side;
  }

  float[] row(RgbImage image) {
    float[] planes = content.preprocess(image);
    int size = content.width();
    int plane = size * size;
    float[] row = new float[side * side];
    Arrays.fill(row, BLACK);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int i = y * size + x;
        row[(y + border) * side + x + border] =
            (planes[i] + planes[plane + i] + planes[2 * plane + i]) / 3f;
      }
    }
    return row;
  }
}
