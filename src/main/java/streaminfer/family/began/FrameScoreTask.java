package streaminfer.family.began;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import streaminfer.family.FamilyTask;
import streaminfer.family.frames.FrameImageDecoder;
import streaminfer.family.frames.LiveMode;
import streaminfer.runtime.ModelMetadata;
import streaminfer.runtime.Tensor;
import streaminfer.v1.Frame;
import streaminfer.v1.FrameScore;

/**
 * A frame to its out-of-distribution score: the BEGAN discriminator's mean absolute reconstruction
 * error, computed inside the graph. Frames the discriminator was not trained on reconstruct worse.
 */
final class FrameScoreTask implements FamilyTask<Frame, FrameScore> {
  private final String model;
  private final String modelVersion;
  private final String inputName;
  private final String scoreName;
  private final FrameImageDecoder images;
  private final GreyCanvas canvas;
  private final Optional<Float> threshold;
  private final LiveMode liveMode;

  FrameScoreTask(
      ModelMetadata metadata,
      FrameImageDecoder images,
      Optional<Double> threshold,
      LiveMode liveMode) {
    this.model = metadata.name();
    this.modelVersion = Integer.toString(metadata.version());
    this.inputName = metadata.inputs().get(0).name();
    this.scoreName = metadata.outputs().get(0).name();
    this.images = images;
    this.canvas = GreyCanvas.fromMetadata(metadata);
    Optional<Double> ownThreshold =
        Optional.of(metadata.document().at("/scoring/threshold"))
            .filter(node -> node.isNumber())
            .map(node -> node.asDouble());
    this.threshold = threshold.or(() -> ownThreshold).map(Double::floatValue);
    this.liveMode = liveMode;
  }

  @Override
  public Optional<Instant> staleAt(Frame frame) {
    return liveMode.staleAt(frame);
  }

  @Override
  public Map<String, Tensor> toInputs(Frame frame) {
    liveMode.check(frame);
    return Map.of(inputName, Tensor.of(canvas.row(images.decode(frame))));
  }

  @Override
  public FrameScore toOutput(Frame frame, Map<String, Tensor> outputs) {
    float score = outputs.get(scoreName).floats()[0];
    return FrameScore.newBuilder()
        .setStreamId(frame.getStreamId())
        .setSeq(frame.getSeq())
        .setCaptureTimeMicros(frame.getCaptureTimeMicros())
        .setModel(model)
        .setModelVersion(modelVersion)
        .setScore(score)
        .setThreshold(threshold.orElse(null))
        .setAnomaly(threshold.map(limit -> score > limit).orElse(null))
        .build();
  }
}
