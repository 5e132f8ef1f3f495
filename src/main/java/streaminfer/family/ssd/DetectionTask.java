package streaminfer.family.ssd;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import streaminfer.family.Drawable;
import streaminfer.family.FamilyTask;
import streaminfer.family.frames.FrameImageDecoder;
import streaminfer.family.frames.FramePictures;
import streaminfer.family.frames.FramePreprocessor;
import streaminfer.family.frames.LiveMode;
import streaminfer.runtime.ModelMetadata;
import streaminfer.runtime.Tensor;
import streaminfer.v1.Detection;
import streaminfer.v1.Detections;
import streaminfer.v1.Frame;

/**
 * SSD: a video frame to the objects in it. Boxes come out normalized to the frame, and the model
 * input is a stretch-resize of the whole frame, so normalized corners need no mapping back.
 *
 * <p>Live mode ({@code maxAge} present): see {@link LiveMode}.
 */
public final class DetectionTask
    implements FamilyTask<Frame, Detections>, Drawable<Frame, Detections> {
  private final String model;
  private final String modelVersion;
  private final String inputName;
  private final String boxesName;
  private final String logitsName;
  private final FrameImageDecoder images;
  private final FramePreprocessor preprocessor;
  private final SsdDecoder decoder;
  private final LiveMode liveMode;

  public DetectionTask(
      ModelMetadata metadata,
      FrameImageDecoder images,
      SsdDecoder decoder,
      Optional<Duration> maxAge,
      Clock clock) {
    this.model = metadata.name();
    this.modelVersion = Integer.toString(metadata.version());
    this.inputName = metadata.inputs().get(0).name();
    this.boxesName = metadata.output("boxes").name();
    this.logitsName = metadata.output("logits").name();
    this.images = images;
    this.preprocessor = FramePreprocessor.fromMetadata(metadata);
    this.decoder = decoder;
    this.liveMode = new LiveMode(maxAge, clock);
  }

  @Override
  public Optional<Instant> staleAt(Frame frame) {
    return liveMode.staleAt(frame);
  }

  @Override
  public Map<String, Tensor> toInputs(Frame frame) {
    liveMode.check(frame);
    return Map.of(inputName, Tensor.of(images.inputRow(frame, preprocessor)));
  }

  @Override
  public Detections toOutput(Frame frame, Map<String, Tensor> outputs) {
    List<Box> boxes =
        decoder.decode(outputs.get(boxesName).floats(), outputs.get(logitsName).floats());
    List<Detection> detections = new ArrayList<>(boxes.size());
    for (Box box : boxes) {
      detections.add(
          new Detection(
              box.classId(),
              decoder.labels().get(box.classId()),
              box.score(),
              box.xMin(),
              box.yMin(),
              box.xMax(),
              box.yMax()));
    }
    return Detections.newBuilder()
        .setStreamId(frame.getStreamId())
        .setSeq(frame.getSeq())
        .setCaptureTimeMicros(frame.getCaptureTimeMicros())
        .setModel(model)
        .setModelVersion(modelVersion)
        .setDetections(detections)
        .build();
  }

  @Override
  public Moment moment(Frame frame) {
    return FramePictures.moment(frame);
  }

  @Override
  public Picture draw(Frame frame, Detections answer) {
    List<Shape> shapes = new ArrayList<>(answer.getDetections().size());
    for (Detection found : answer.getDetections()) {
      shapes.add(
          Shape.box(
              found.getLabel(),
              found.getScore(),
              found.getXMin(),
              found.getYMin(),
              found.getXMax(),
              found.getYMax()));
    }
    return FramePictures.picture(frame, shapes);
  }
}
