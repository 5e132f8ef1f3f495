package streaminfer.family.guesswhat.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import streaminfer.v1.SceneObject;

/** Seeded random GuessWhat?! scenes from the shapes world the guesswhat models were trained on. */
final class RandomScenes {
  static final List<String> CATEGORIES = List.of("circle", "square", "triangle", "star", "cross");
  static final List<String> COLOURS = List.of("red", "green", "blue", "yellow", "purple");
  static final int MIN_OBJECTS = 3;
  static final int MAX_OBJECTS = 20;

  // Box sides as the trainer draws them (exporters/guesswhat/game.py), so scenes look familiar.
  private static final double MIN_SIDE = 0.05;
  private static final double MAX_SIDE = 0.2;

  private final Random random;

  RandomScenes(long seed) {
    this.random = new Random(seed);
  }

  /**
   * A scene of {@code objects} objects with ids 1..objects; ids deliberately differ from list
   * positions so an engine that confuses the two is caught.
   */
  List<SceneObject> next(int objects) {
    if (objects < MIN_OBJECTS || objects > MAX_OBJECTS) {
      throw new IllegalArgumentException(
          "a scene has " + MIN_OBJECTS + ".." + MAX_OBJECTS + " objects, not " + objects);
    }
    List<SceneObject> scene = new ArrayList<>(objects);
    for (int id = 1; id <= objects; id++) {
      double width = side();
      double height = side();
      double xMin = random.nextDouble() * (1 - width);
      double yMin = random.nextDouble() * (1 - height);
      scene.add(
          SceneObject.newBuilder()
              .setObjectId(id)
              .setCategory(CATEGORIES.get(random.nextInt(CATEGORIES.size())))
              .setColour(COLOURS.get(random.nextInt(COLOURS.size())))
              .setXMin((float) xMin)
              .setYMin((float) yMin)
              .setXMax((float) (xMin + width))
              .setYMax((float) (yMin + height))
              .build());
    }
    return scene;
  }

  private double side() {
    return MIN_SIDE + random.nextDouble() * (MAX_SIDE - MIN_SIDE);
  }
}
