package streaminfer.source;

/**
 * One shape in a synthetic frame, with its true box normalized to 0..1 of the frame.
 *
 * @param label {@code circle}, {@code square} or {@code triangle}
 */
public record SceneObject(String label, float xMin, float yMin, float xMax, float yMax) {}
