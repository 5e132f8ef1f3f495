package streaminfer.family.ssd;

/**
 * One detection of one image: corners normalized to 0..1 of the image, origin top-left.
 *
 * @param classId 0-based index into the model's labels (logit column {@code classId + 1})
 * @param score softmax probability of the class
 */
public record Box(int classId, float score, float xMin, float yMin, float xMax, float yMax) {
  public Box {
    if (classId < 0) {
      throw new IllegalArgumentException("classId is negative: " + classId);
    }
    if (!(score >= 0f && score <= 1f)) {
      throw new IllegalArgumentException("score outside 0..1: " + score);
    }
    // Clipped corners: a degenerate (zero-area) box is legal, an inverted or NaN one is not.
    if (!(0f <= xMin && xMin <= xMax && xMax <= 1f && 0f <= yMin && yMin <= yMax && yMax <= 1f)) {
      throw new IllegalArgumentException(
          "corners outside 0..1 or inverted: ("
              + xMin
              + ", "
              + yMin
              + ", "
              + xMax
              + ", "
              + yMax
              + ")");
    }
  }
}
