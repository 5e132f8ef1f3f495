package streaminfer.family.began;

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
import streaminfer.family.began.tools.ScoresComparator;
import streaminfer.family.frames.FrameImageDecoder;
import streaminfer.family.frames.LiveMode;
import streaminfer.pipeline.BatchedModel;
import streaminfer.pipeline.ModelPipeline;
import streaminfer.stream.RecordProcessor;
import streaminfer.v1.Frame;
import streaminfer.v1.FrameScore;

/**
 * BEGAN's discriminator as a frame scorer: {@code frames} (Frame) to {@code frame-scores}
 * (FrameScore), one per frame. A module of its own because a module reads one input topic; it lives
 * in the {@code began} package with the generator it was trained against.
 */
public final class BeganFramesModule implements FamilyModule<FrameScoreSettings> {
  public static final String NAME = "began-frames";
  public static final String DISCRIMINATOR = "began-discriminator";
  private static final double DEMO_FRAMES_PER_SECOND = 30;
  private static final String DEMO_STREAM = "demo-digits";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "BEGAN discriminator: video frames to an out-of-distribution score "
        + "(auto-encoder reconstruction error)";
  }

  @Override
  public TopicSpec input() {
    return new TopicSpec("frames", "frames", Frame.class);
  }

  @Override
  public List<TopicSpec> outputs() {
    return List.of(new TopicSpec("scores", "frame-scores", FrameScore.class));
  }

  @Override
  public List<ModelRole> models() {
    return List.of(ModelRole.of(ModelRole.MAIN, DISCRIMINATOR));
  }

  @Override
  public FrameScoreSettings settings(ConfigNode node) {
    Optional<Double> threshold =
        node.text("threshold")
            .map(
                text -> {
                  try {
                    return Double.parseDouble(text);
                  } catch (NumberFormatException e) {
                    throw new ConfigException(node.key("threshold"), "must be a number: " + text);
                  }
                });
    return new FrameScoreSettings(
        node.longValue(
            "maxFramePixels", FrameImageDecoder.DEFAULT_MAX_PIXELS, 1, Integer.MAX_VALUE),
        threshold);
  }

  /** The discriminator's golden images as PNG frames of one stream, 30 per second. */
  @Override
  public Optional<DemoSource> demo(Path modelsDir) {
    GoldenFrames frames = GoldenFrames.of(modelsDir);
    AvroCodec<Frame> codec = AvroCodec.forType(Frame.class, WriterSchemas.v1());
    return Optional.of(
        new DemoSource(
            DEMO_FRAMES_PER_SECOND,
            n -> new DemoSource.KeyedValue(DEMO_STREAM, codec.encode(frames.frame(DEMO_STREAM, n))),
            () -> {}));
  }

  @Override
  public RecordProcessor processor(FamilyContext context, FrameScoreSettings settings) {
    BatchedModel model = context.model(ModelRole.MAIN);
    return new ModelPipeline<>(
        AvroCodec.forType(Frame.class, context.schemas()),
        AvroCodec.forType(FrameScore.class, context.schemas()),
        new FrameScoreTask(
            model.session().metadata(),
            new FrameImageDecoder(settings.maxFramePixels()),
            settings.threshold(),
            new LiveMode(context.maxInputAge(), context.clock())),
        model,
        context.workers(),
        context.outputTopic("scores"));
  }

  @Override
  public List<ResultComparator<?>> resultComparators() {
    return List.of(new ScoresComparator());
  }
}
