package streaminfer.family.guesswhat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import streaminfer.v1.SceneObject;

/**
 * A validated scene and its model features: per object one-hot category, one-hot colour and the 8
 * spatial features (xmin, ymin, xmax, ymax, xcenter, ycenter, width, height), padded to the models'
 * object capacity with a mask.
 */
public record Scene(List<SceneObject> objects, float[] features, float[] mask) {
  public static final int SPATIAL_FEATURES = 8;

  public static Scene of(List<SceneObject> objects, GameSpec spec) {
    if (objects == null || objects.isEmpty()) {
      throw new InvalidTurnException("the scene has no objects");
    }
    if (objects.size() > spec.maxObjects()) {
      throw new InvalidTurnException(
          "the scene has "
              + objects.size()
              + " objects; the models support at most "
              + spec.maxObjects());
    }
    int width = spec.objectFeatures();
    float[] features = new float[spec.maxObjects() * width];
    float[] mask = new float[spec.maxObjects()];
    Set<Integer> ids = new HashSet<>();
    for (int i = 0; i < objects.size(); i++) {
      SceneObject object = objects.get(i);
      if (!ids.add(object.getObjectId())) {
        throw new InvalidTurnException("object id " + object.getObjectId() + " appears twice");
      }
      int offset = i * width;
      features[offset + index(spec.categories(), object.getCategory(), "category", object)] = 1f;
      features[
              offset
                  + spec.categories().size()
                  + index(spec.colours(), object.getColour(), "colour", object)] =
          1f;
      System.arraycopy(
          spatial(object),
          0,
          features,
          offset + spec.categories().size() + spec.colours().size(),
          SPATIAL_FEATURES);
      mask[i] = 1f;
    }
    return new Scene(List.copyOf(objects), features, mask);
  }

  private static int index(List<String> names, CharSequence name, String kind, SceneObject object) {
    int index = names.indexOf(name.toString());
    if (index < 0) {
      throw new InvalidTurnException(
          "object "
              + object.getObjectId()
              + " has "
              + kind
              + " '"
              + name
              + "'; the models know "
              + names);
    }
    return index;
  }

  /** The 8 spatial features of an object, checked to lie inside the frame. */
  static float[] spatial(SceneObject object) {
    float xMin = object.getXMin();
    float yMin = object.getYMin();
    float xMax = object.getXMax();
    float yMax = object.getYMax();
    if (!(0f <= xMin && xMin <= xMax && xMax <= 1f && 0f <= yMin && yMin <= yMax && yMax <= 1f)) {
      throw new InvalidTurnException(
          "object "
              + object.getObjectId()
              + " has box ("
              + xMin
              + ", "
              + yMin
              + ", "
              + xMax
              + ", "
              + yMax
              + "); expected 0 <= min <= max <= 1");
    }
    return new float[] {
      xMin, yMin, xMax, yMax, (xMin + xMax) / 2, (yMin + yMax) / 2, xMax - xMin, yMax - yMin
    };
  }

  public int size() {
    return objects.size();
  }

  /** The position of the object with this id, or an error naming the ids there are. */
  public int indexOf(int objectId) {
    for (int i = 0; i < objects.size(); i++) {
      if (objects.get(i).getObjectId() == objectId) {
        return i;
      }
    }
    throw new InvalidTurnException(
        "no object "
            + objectId
            + " in the scene (ids: "
            + objects.stream().map(SceneObject::getObjectId).toList()
            + ")");
  }

  public int categoryIndex(int index, GameSpec spec) {
    return spec.categories().indexOf(objects.get(index).getCategory().toString());
  }

  public int colourIndex(int index, GameSpec spec) {
    return spec.colours().indexOf(objects.get(index).getColour().toString());
  }
}
