package streaminfer.ops.dashboard;

import java.util.List;
import streaminfer.family.Drawable;

/** Small pictures for tests: a 2x2 PNG-typed payload and one box. */
final class Pictures {
  private Pictures() {}

  static Drawable.Moment moment(String stream, long seq, long capturedAtMillis) {
    return new Drawable.Moment(stream, seq, capturedAtMillis * 1000);
  }

  static Drawable.Picture of(Drawable.Moment moment, Drawable.Shape... shapes) {
    return new Drawable.Picture(
        moment, 2, 2, "image/png", new byte[] {1, 2, 3, 4}, List.of(shapes));
  }
}
