package streaminfer.family.guesswhat.tools;

import java.util.List;
import streaminfer.v1.SceneObject;

/** Small fixed scenes for the console tests. */
final class TestScenes {
  private TestScenes() {}

  /** A red circle (1) top-left, a blue square (2) bottom-right, a green star (3) in the middle. */
  static List<SceneObject> threeShapes() {
    return List.of(
        object(1, "circle", "red", 0.1f, 0.1f, 0.2f, 0.2f),
        object(2, "square", "blue", 0.7f, 0.7f, 0.9f, 0.9f),
        object(3, "star", "green", 0.45f, 0.45f, 0.55f, 0.55f));
  }

  private static SceneObject object(
      int id, String category, String colour, float x0, float y0, float x1, float y1) {
    return SceneObject.newBuilder()
        .setObjectId(id)
        .setCategory(category)
        .setColour(colour)
        .setXMin(x0)
        .setYMin(y0)
        .setXMax(x1)
        .setYMax(y1)
        .build();
  }
}
