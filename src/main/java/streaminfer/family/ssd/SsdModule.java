package streaminfer.family.ssd;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import streaminfer.codec.AvroCodec;
import streaminfer.codec.WriterSchemas;
import streaminfer.compare.ResultComparator;
import streaminfer.config.ConfigException;
import streaminfer.config.ConfigNode;
import streaminfer.family.DemoSource;
import streaminfer.family.FamilyContext;
import streaminfer.family.FamilyModule;
import streaminfer.family.ModelRole;
import streaminfer.family.TopicSpec;
import streaminfer.family.frames.FrameImageDecoder;
import streaminfer.family.ssd.tools.ColdStartBenchCommand;
import streaminfer.family.ssd.tools.DetectionsComparator;
import streaminfer.family.ssd.tools.FramesBenchCommand;
import streaminfer.family.ssd.tools.FramesCommand;
import streaminfer.pipeline.BatchedModel;
import streaminfer.pipeline.ModelPipeline;
import streaminfer.runtime.ModelMetadata;
import streaminfer.source.SyntheticCameras;
import streaminfer.stream.RecordProcessor;
import streaminfer.v1.Detections;
import streaminfer.v1.Frame;

/** SSD: {@code frames} (Frame) to {@code detections} (Detections), one per frame. */
public final class SsdModule implements FamilyModule<SsdSettings> {
  public static final String NAME = "ssd";
  private static final int DEMO_CAMERA_FPS = 60;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "SSD: video frames to detected objects (boxes, classes, scores)";
  }

  @Override
  public TopicSpec input() {
    return new TopicSpec("frames", "frames", Frame.class);
  }

  @Override
  public List<TopicSpec> outputs() {
    return List.of(new TopicSpec("detections", "detections", Detections.class));
  }

  @Override
  public List<ModelRole> models() {
    return List.of(ModelRole.of(ModelRole.MAIN, NAME));
  }

  @Override
  public SsdSettings settings(ConfigNode node) {
    Optional<Float> outputThreshold =
        node.text("outputThreshold")
            .map(
                text -> {
                  float value;
                  try {
                    value = Float.parseFloat(text.trim());
                  } catch (NumberFormatException e) {
                    throw new ConfigException(
                        node.key("outputThreshold"),
                        "must be a number in 0..1, was '" + text + "'");
                  }
                  if (!(value >= 0f && value <= 1f)) {
                    throw new ConfigException(
                        node.key("outputThreshold"), "must be in 0..1, was " + text);
                  }
                  return value;
                });
    return new SsdSettings(
        node.longValue(
            "maxFramePixels", FrameImageDecoder.DEFAULT_MAX_PIXELS, 1, Integer.MAX_VALUE),
        outputThreshold);
  }

  @Override
  public RecordProcessor processor(FamilyContext context, SsdSettings settings) {
    BatchedModel model = context.model(ModelRole.MAIN);
    ModelMetadata metadata = model.session().metadata();
    return new ModelPipeline<>(
        AvroCodec.forType(Frame.class, context.schemas()),
        AvroCodec.forType(Detections.class, context.schemas()),
        new DetectionTask(
            metadata,
            new FrameImageDecoder(settings.maxFramePixels()),
            SsdDecoder.fromMetadata(
                metadata,
                settings
                    .outputThreshold()
                    .map(
                        threshold ->
                            SsdPostprocessing.fromJson(metadata.document().path("postprocessing"))
                                .withOutputThreshold(threshold))
                    .orElse(null)),
            context.maxInputAge(),
            context.clock()),
        model,
        context.workers(),
        context.outputTopic("detections"),
        context.viewers());
  }

  @Override
  public Optional<DemoSource> demo(Path modelsDir) {
    SyntheticCameras camera = new SyntheticCameras("demo-cam", 1, 320, 320, 0.85f, 42);
    AvroCodec<Frame> codec = AvroCodec.forType(Frame.class, WriterSchemas.v1());
    return Optional.of(
        new DemoSource(
            DEMO_CAMERA_FPS,
            n -> {
              Frame frame = camera.next(0).frame();
              return new DemoSource.KeyedValue(frame.getStreamId(), codec.encode(frame));
            },
            camera));
  }

  @Override
  public List<Object> produceCommands() {
    return List.of(new FramesCommand());
  }

  @Override
  public List<Object> benchCommands() {
    return List.of(new FramesBenchCommand(), new ColdStartBenchCommand());
  }

  @Override
  public List<ResultComparator<?>> resultComparators() {
    return List.of(new DetectionsComparator());
  }
}
