package streaminfer.family.maskrcnn;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import streaminfer.runtime.ModelMetadata;
import streaminfer.runtime.TensorSpec;

/**
 * What a Mask R-CNN graph returns and how its outputs become served instances, read from model.json
 * ({@code labels}, {@code postprocessing}, the output shapes) and overridable per pipeline. Any
 * torchvision-style export that returns boxes [N, 4] in input pixels, labels [N] (int64), scores
 * [N] and masks [N, 1, M, M] over the boxes can be served by writing these keys.
 *
 * @param labels class names; class id {@code label - labelOffset} names {@code labels[id]}
 * @param labelOffset the graph's label of the first class (1 when 0 is the background)
 * @param maskSize M, the side of each soft mask
 * @param paster pastes and thresholds the masks at the frame's size
 * @param scoreThreshold instances scoring below it are not published
 * @param maxInstances at most this many instances per frame
 */
public record MaskrcnnPostprocessing(
    List<String> labels,
    int labelOffset,
    int maskSize,
    MaskPaster paster,
    float scoreThreshold,
    int maxInstances) {

  public MaskrcnnPostprocessing {
    labels = List.copyOf(labels);
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("a Mask R-CNN model needs at least one label");
    }
    if (!(scoreThreshold >= 0f && scoreThreshold <= 1f) || maxInstances < 1) {
      throw new IllegalArgumentException(
          "score threshold must be in [0, 1] and maxInstances positive: "
              + scoreThreshold
              + ", "
              + maxInstances);
    }
  }

  /** The model's postprocessing with the pipeline's overrides applied. */
  public static MaskrcnnPostprocessing of(ModelMetadata metadata, MaskrcnnSettings settings) {
    JsonNode document = metadata.document();
    JsonNode post = document.path("postprocessing");
    expect(metadata, post, "boxesIn", "input-pixels");
    expect(metadata, post, "maskLayout", "box");
    TensorSpec masks = metadata.output("masks");
    long[] shape = masks.shape();
    if (shape.length != 4 || shape[1] != 1 || shape[2] < 1 || shape[2] != shape[3]) {
      throw new IllegalArgumentException(
          "model "
              + metadata.name()
              + ": output masks must be [N, 1, M, M], declared "
              + java.util.Arrays.toString(shape));
    }
    int maskSize = (int) shape[2];
    List<String> labels = new ArrayList<>();
    document.path("labels").forEach(label -> labels.add(label.asText()));
    float maskThreshold =
        settings.maskThreshold().orElse((float) post.path("maskThreshold").asDouble(0.5));
    return new MaskrcnnPostprocessing(
        labels,
        post.path("labelOffset").asInt(1),
        maskSize,
        new MaskPaster(maskSize, post.path("maskPadding").asInt(1), maskThreshold),
        settings.scoreThreshold().orElse((float) post.path("scoreThreshold").asDouble(0.5)),
        settings.maxInstances().orElse(post.path("maxInstances").asInt(100)));
  }

  private static void expect(ModelMetadata metadata, JsonNode post, String key, String value) {
    String actual = post.path(key).asText(value);
    if (!actual.equals(value)) {
      throw new IllegalArgumentException(
          "model "
              + metadata.name()
              + ": postprocessing."
              + key
              + " '"
              + actual
              + "' is not supported (only '"
              + value
              + "')");
    }
  }
}
