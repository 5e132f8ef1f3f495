package streaminfer.family.maskrcnn;

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
import streaminfer.v1.Frame;
import streaminfer.v1.RleMask;
import streaminfer.v1.Segmentations;
import streaminfer.v1.SegmentedInstance;

/**
 * Mask R-CNN: a video frame to its object instances, each a box, class and score plus its mask as
 * COCO RLE at the frame's own resolution. The model sees the frame stretched to its input size; its
 * boxes (input pixels) are scaled back to frame pixels, where the masks are pasted.
 *
 * <p>Live mode ({@code maxAge} present): see {@link LiveMode}.
 */
public final class SegmentationTask
    implements FamilyTask<Frame, Segmentations>, Drawable<Frame, Segmentations> {
  private final String model;
  private final String modelVersion;
  private final String inputName;
  private final FrameImageDecoder images;
  private final FramePreprocessor preprocessor;
  private final MaskrcnnPostprocessing post;
  private final LiveMode liveMode;

  public SegmentationTask(
      ModelMetadata metadata,
      FrameImageDecoder images,
      MaskrcnnPostprocessing post,
      Optional<Duration> maxAge,
      Clock clock) {
    this.model = metadata.name();
    this.modelVersion = Integer.toString(metadata.version());
    this.inputName = metadata.inputs().get(0).name();
    this.images = images;
    this.preprocessor = FramePreprocessor.fromMetadata(metadata);
    this.post = post;
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
  public Segmentations toOutput(Frame frame, Map<String, Tensor> outputs) {
    return Segmentations.newBuilder()
        .setStreamId(frame.getStreamId())
        .setSeq(frame.getSeq())
        .setCaptureTimeMicros(frame.getCaptureTimeMicros())
        .setModel(model)
        .setModelVersion(modelVersion)
        .setInstances(
            instances(
                frame.getWidth(),
                frame.getHeight(),
                outputs.get("boxes").floats(),
                outputs.get("labels").longs(),
                outputs.get("scores").floats(),
                outputs.get("masks").floats()))
        .build();
  }

  /**
   * The graph's detections (highest score first, as torchvision returns them) above the score
   * threshold, at most {@code maxInstances}, with their masks pasted into a {@code width} x {@code
   * height} frame.
   */
  List<SegmentedInstance> instances(
      int width, int height, float[] boxes, long[] labels, float[] scores, float[] masks) {
    int count = scores.length;
    int maskPixels = post.maskSize() * post.maskSize();
    if (boxes.length != 4 * count || labels.length != count || masks.length != maskPixels * count) {
      throw new IllegalStateException(
          "model "
              + model
              + " returned "
              + count
              + " scores but "
              + boxes.length / 4
              + " boxes, "
              + labels.length
              + " labels and "
              + masks.length / maskPixels
              + " masks");
    }
    float scaleX = (float) width / preprocessor.width();
    float scaleY = (float) height / preprocessor.height();
    List<SegmentedInstance> instances = new ArrayList<>();
    for (int i = 0; i < count && instances.size() < post.maxInstances(); i++) {
      if (!(scores[i] >= post.scoreThreshold())) {
        continue;
      }
      int classId = (int) labels[i] - post.labelOffset();
      if (classId < 0 || classId >= post.labels().size()) {
        throw new IllegalStateException("model " + model + " returned label " + labels[i]);
      }
      float x0 = boxes[4 * i] * scaleX;
      float y0 = boxes[4 * i + 1] * scaleY;
      float x1 = boxes[4 * i + 2] * scaleX;
      float y1 = boxes[4 * i + 3] * scaleY;
      int[] counts = post.paster().paste(masks, i, x0, y0, x1, y1, height, width);
      List<Integer> runs = new ArrayList<>(counts.length);
      for (int run : counts) {
        runs.add(run);
      }
      instances.add(
          new SegmentedInstance(
              new Detection(
                  classId,
                  post.labels().get(classId),
                  scores[i],
                  unit(x0 / width),
                  unit(y0 / height),
                  unit(x1 / width),
                  unit(y1 / height)),
              new RleMask(height, width, runs)));
    }
    return instances;
  }

  @Override
  public Moment moment(Frame frame) {
    return FramePictures.moment(frame);
  }

  @Override
  public Picture draw(Frame frame, Segmentations answer) {
    List<Shape> shapes = new ArrayList<>(answer.getInstances().size());
    for (SegmentedInstance instance : answer.getInstances()) {
      Detection found = instance.getDetection();
      shapes.add(
          new Shape(
              found.getLabel(),
              found.getScore(),
              found.getXMin(),
              found.getYMin(),
              found.getXMax(),
              found.getYMax(),
              instance.getMask().getCounts()));
    }
    return FramePictures.picture(frame, shapes);
  }

  private static float unit(float value) {
    return Math.min(Math.max(value, 0f), 1f);
  }
}
