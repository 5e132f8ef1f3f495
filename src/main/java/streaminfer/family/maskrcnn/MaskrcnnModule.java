package streaminfer.family.maskrcnn;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import streaminfer.codec.AvroCodec;
import streaminfer.codec.WriterSchemas;
import streaminfer.compare.ResultComparator;
import streaminfer.config.ConfigNode;
import streaminfer.family.DemoSource;
import streaminfer.family.FamilyContext;
import streaminfer.family.FamilyModule;
import streaminfer.family.ModelRole;
import streaminfer.family.TopicSpec;
import streaminfer.family.frames.FrameImageDecoder;
import streaminfer.family.maskrcnn.tools.MaskrcnnBenchCommand;
import streaminfer.family.maskrcnn.tools.SegmentationsComparator;
import streaminfer.pipeline.BatchedModel;
import streaminfer.pipeline.ModelPipeline;
import streaminfer.runtime.ModelMetadata;
import streaminfer.source.SyntheticCameras;
import streaminfer.stream.RecordProcessor;
import streaminfer.v1.Frame;
import streaminfer.v1.Segmentations;

/** Mask R-CNN: {@code frames} (Frame) to {@code segmentations} (Segmentations), one per frame. */
public final class MaskrcnnModule implements FamilyModule<MaskrcnnSettings> {
  public static final String NAME = "maskrcnn";
  private static final int DEMO_CAMERA_FPS = 30;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Mask R-CNN: video frames to object instances (boxes, classes, scores, RLE masks)";
  }

  @Override
  public TopicSpec input() {
    return new TopicSpec("frames", "frames", Frame.class);
  }

  @Override
  public List<TopicSpec> outputs() {
    return List.of(new TopicSpec("segmentations", "segmentations", Segmentations.class));
  }

  @Override
  public List<ModelRole> models() {
    return List.of(ModelRole.of(ModelRole.MAIN, NAME));
  }

  @Override
  public MaskrcnnSettings settings(ConfigNode node) {
    return MaskrcnnSettings.read(node);
  }

  @Override
  public RecordProcessor processor(FamilyContext context, MaskrcnnSettings settings) {
    BatchedModel model = context.model(ModelRole.MAIN);
    ModelMetadata metadata = model.session().metadata();
    return new ModelPipeline<>(
        AvroCodec.forType(Frame.class, context.schemas()),
        AvroCodec.forType(Segmentations.class, context.schemas()),
        new SegmentationTask(
            metadata,
            new FrameImageDecoder(settings.maxFramePixels()),
            MaskrcnnPostprocessing.of(metadata, settings),
            context.maxInputAge(),
            context.clock()),
        model,
        context.workers(),
        context.outputTopic("segmentations"),
        context.viewers());
  }

  /** The same synthetic camera as the other frame families', at 30 frames per second. */
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
  public List<Object> benchCommands() {
    return List.of(new MaskrcnnBenchCommand());
  }

  @Override
  public List<ResultComparator<?>> resultComparators() {
    return List.of(new SegmentationsComparator());
  }
}
