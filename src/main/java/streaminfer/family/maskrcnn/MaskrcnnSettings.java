package streaminfer.family.maskrcnn;

import java.util.Optional;
import streaminfer.config.ConfigException;
import streaminfer.config.ConfigNode;
import streaminfer.family.frames.FrameImageDecoder;

/**
 * The Mask R-CNN pipeline's own settings; an absent threshold takes the model's (model.json {@code
 * postprocessing}).
 *
 * @param maxFramePixels larger frames are dead-lettered before decoding (decompression bombs)
 * @param scoreThreshold instances scoring below it are not published
 * @param maskThreshold a pasted mask pixel is on where the soft mask is at least this
 * @param maxInstances at most this many instances per frame, highest scores first
 */
public record MaskrcnnSettings(
    long maxFramePixels,
    Optional<Float> scoreThreshold,
    Optional<Float> maskThreshold,
    Optional<Integer> maxInstances) {

  static MaskrcnnSettings read(ConfigNode node) {
    return new MaskrcnnSettings(
        node.longValue(
            "maxFramePixels", FrameImageDecoder.DEFAULT_MAX_PIXELS, 1, Integer.MAX_VALUE),
        fraction(node, "scoreThreshold", true),
        fraction(node, "maskThreshold", false),
        node.has("maxInstances")
            ? Optional.of(node.integer("maxInstances", 1, 1, 10_000))
            : Optional.empty());
  }

  /** A number in [0, 1] ((0, 1] when {@code zeroAllowed} is false), or empty when absent. */
  private static Optional<Float> fraction(ConfigNode node, String key, boolean zeroAllowed) {
    Optional<String> text = node.text(key);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    float value;
    try {
      value = Float.parseFloat(text.get().trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(node.key(key), "must be a number, was '" + text.get() + "'");
    }
    boolean low = zeroAllowed ? value >= 0f : value > 0f;
    if (!low || !(value <= 1f)) {
      throw new ConfigException(
          node.key(key),
          "must be " + (zeroAllowed ? "in [0, 1]" : "in (0, 1]") + ", was " + text.get());
    }
    return Optional.of(value);
  }
}
