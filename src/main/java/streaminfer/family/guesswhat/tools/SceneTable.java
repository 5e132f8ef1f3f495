package streaminfer.family.guesswhat.tools;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import streaminfer.v1.SceneObject;

/** Shows a scene to the person playing: one row per object, with a rough position in words. */
final class SceneTable {
  // The oracle answers n/a when an object's centre is this close to a middle line
  // (exporters/guesswhat/game.py AMBIGUOUS_MARGIN); such objects get no side word here.
  private static final double MIDDLE_MARGIN = 0.05;

  private SceneTable() {}

  static void print(PrintStream out, List<SceneObject> scene) {
    out.printf("%4s  %-9s %-7s %-24s %s%n", "id", "category", "colour", "box x0 y0 x1 y1", "where");
    for (SceneObject object : scene) {
      out.printf(
          Locale.ROOT,
          "%4d  %-9s %-7s %.2f %.2f %.2f %.2f      %s%n",
          object.getObjectId(),
          object.getCategory(),
          object.getColour(),
          object.getXMin(),
          object.getYMin(),
          object.getXMax(),
          object.getYMax(),
          position(object));
    }
  }

  /** "red circle (3)": how the consoles name an object. */
  static String describe(SceneObject object) {
    return object.getColour() + " " + object.getCategory() + " (" + object.getObjectId() + ")";
  }

  static Optional<SceneObject> find(List<SceneObject> scene, int objectId) {
    return scene.stream().filter(o -> o.getObjectId() == objectId).findFirst();
  }

  /** "top-left", "top", "left", ... or "middle" when the centre is near both middle lines. */
  static String position(SceneObject object) {
    String vertical = side((object.getYMin() + object.getYMax()) / 2, "top", "bottom");
    String horizontal = side((object.getXMin() + object.getXMax()) / 2, "left", "right");
    if (vertical.isEmpty() && horizontal.isEmpty()) {
      return "middle";
    }
    if (vertical.isEmpty() || horizontal.isEmpty()) {
      return vertical + horizontal;
    }
    return vertical + "-" + horizontal;
  }

  private static String side(double centre, String low, String high) {
    if (Math.abs(centre - 0.5) < MIDDLE_MARGIN) {
      return "";
    }
    return centre < 0.5 ? low : high;
  }
}
