package streaminfer.family.ssd;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The thresholds of SSD post-processing, as in {@code model.json} {@code postprocessing}.
 *
 * @param scoreThreshold a class score must be strictly above it to enter NMS (softmax, 0..1)
 * @param nmsIouThreshold a box whose IoU with a higher-scored kept box of its class is strictly
 *     above it is suppressed
 * @param topK at most this many detections per image, over all classes
 * @param outputThreshold published detections have a score of at least this; 0 publishes all
 */
public record SsdPostprocessing(
    float scoreThreshold, float nmsIouThreshold, int topK, float outputThreshold) {

  public SsdPostprocessing {
    // Scores are softmax probabilities, and the decoder's primitive sort key relies on them being
    // non-negative, so thresholds outside 0..1 are configuration errors, not "no threshold".
    requireUnit("scoreThreshold", scoreThreshold);
    requireUnit("nmsIouThreshold", nmsIouThreshold);
    requireUnit("outputThreshold", outputThreshold);
    if (topK < 1) {
      throw new IllegalArgumentException("topK must be at least 1, not " + topK);
    }
  }

  /** The trainer's defaults. */
  public static SsdPostprocessing defaults() {
    return new SsdPostprocessing(0.01f, 0.45f, 200, 0.3f);
  }

  /** Reads {@code postprocessing}; a missing field takes the trainer's default. */
  public static SsdPostprocessing fromJson(JsonNode node) {
    SsdPostprocessing d = defaults();
    return new SsdPostprocessing(
        (float) node.path("scoreThreshold").asDouble(d.scoreThreshold()),
        (float) node.path("nmsIouThreshold").asDouble(d.nmsIouThreshold()),
        node.path("topK").asInt(d.topK()),
        (float) node.path("outputThreshold").asDouble(d.outputThreshold()));
  }

  /** The same post-processing publishing from another score; 0 reproduces the raw top-k. */
  public SsdPostprocessing withOutputThreshold(float threshold) {
    return new SsdPostprocessing(scoreThreshold, nmsIouThreshold, topK, threshold);
  }

  private static void requireUnit(String name, float value) {
    if (!(value >= 0f && value <= 1f)) {
      throw new IllegalArgumentException(name + " must be in 0..1, not " + value);
    }
  }
}
