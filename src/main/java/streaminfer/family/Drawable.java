package streaminfer.family;

import java.util.List;
import java.util.Objects;

/**
 * A task whose answers can be shown on the live dashboard: the input picture with what the model
 * found on it. The pipeline asks only while someone watches, and draws at most a few answers a
 * second per stream ({@link streaminfer.pipeline.Viewers}), so {@link #draw} may copy or encode.
 *
 * <p>Threading: both methods run on the inference worker, after {@link FamilyTask#toOutput}.
 */
public interface Drawable<I, O> {
  /** The input's stream and capture time: cheap, asked for every answer while someone watches. */
  Moment moment(I input);

  /** The picture to show: the input's image and the shapes the answer holds. */
  Picture draw(I input, O output);

  /**
   * @param stream the input's stream (a camera), as its producer names it
   * @param seq the input's number in its stream
   * @param capturedAtMicros when the input was captured (epoch microseconds): latency is measured
   *     from it
   */
  record Moment(String stream, long seq, long capturedAtMicros) {
    public Moment {
      Objects.requireNonNull(stream, "stream");
    }
  }

  /**
   * @param mediaType {@code image/jpeg} or {@code image/png}: what a browser shows as it is
   * @param image the encoded image; never modified after it is handed over
   * @param shapes what the model found, in the image's own coordinates normalized to 0..1
   */
  record Picture(
      Moment moment, int width, int height, String mediaType, byte[] image, List<Shape> shapes) {
    public Picture {
      Objects.requireNonNull(moment, "moment");
      Objects.requireNonNull(image, "image");
      if (width <= 0 || height <= 0) {
        throw new IllegalArgumentException("a picture needs a size, was " + width + "x" + height);
      }
      if (!mediaType.equals("image/jpeg") && !mediaType.equals("image/png")) {
        throw new IllegalArgumentException("not an image a browser shows: " + mediaType);
      }
      shapes = List.copyOf(shapes);
    }
  }

  /**
   * One thing found: a box and, for instance segmentation, its mask.
   *
   * @param maskRuns the mask as COCO uncompressed RLE over the whole picture (column-major, runs
   *     alternating 0s and 1s, starting with 0s); empty when the model gives no mask
   */
  record Shape(
      String label,
      float score,
      float xMin,
      float yMin,
      float xMax,
      float yMax,
      List<Integer> maskRuns) {
    public Shape {
      Objects.requireNonNull(label, "label");
      maskRuns = List.copyOf(maskRuns);
    }

    public static Shape box(
        String label, float score, float xMin, float yMin, float xMax, float yMax) {
      return new Shape(label, score, xMin, yMin, xMax, yMax, List.of());
    }
  }
}
