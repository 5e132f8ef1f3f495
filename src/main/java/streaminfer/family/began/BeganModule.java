package streaminfer.family.began;

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
import streaminfer.family.began.tools.GenerationBenchCommand;
import streaminfer.family.began.tools.GenerationRequestsCommand;
import streaminfer.family.began.tools.ImagesComparator;
import streaminfer.stream.RecordProcessor;
import streaminfer.v1.GeneratedImage;
import streaminfer.v1.GenerationRequest;

/**
 * BEGAN generation (family {@code began-images}: plain "began" is an English word that the family
 * boundary check would find in every comment about something that began): {@code
 * generation-requests} (GenerationRequest) to {@code generated-images} (GeneratedImage, PNG), one
 * output per image asked for. Its discriminator serves frames in {@link BeganFramesModule}.
 */
public final class BeganModule implements FamilyModule<GenerationSettings> {
  public static final String NAME = "began-images";
  public static final String GENERATOR = "began-generator";
  private static final double DEMO_REQUESTS_PER_SECOND = 5;
  private static final int DEMO_IMAGES_PER_REQUEST = 4;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "BEGAN: generation requests (seed or latent vectors) to generated PNG images";
  }

  @Override
  public TopicSpec input() {
    return new TopicSpec("requests", "generation-requests", GenerationRequest.class);
  }

  @Override
  public List<TopicSpec> outputs() {
    return List.of(new TopicSpec("images", "generated-images", GeneratedImage.class));
  }

  @Override
  public List<ModelRole> models() {
    return List.of(ModelRole.of(ModelRole.MAIN, GENERATOR));
  }

  @Override
  public GenerationSettings settings(ConfigNode node) {
    return new GenerationSettings(
        node.integer(
            "maxImagesPerRequest", GenerationSettings.DEFAULT_MAX_IMAGES, 1, Integer.MAX_VALUE));
  }

  @Override
  public RecordProcessor processor(FamilyContext context, GenerationSettings settings) {
    return new GenerationProcessor(
        AvroCodec.forType(GenerationRequest.class, context.schemas()),
        AvroCodec.forType(GeneratedImage.class, context.schemas()),
        context.model(ModelRole.MAIN),
        settings,
        context.outputTopic("images"));
  }

  /** Requests for a few images each, seeds 0, 4, 8...: the same pictures every demo. */
  @Override
  public Optional<DemoSource> demo(Path modelsDir) {
    AvroCodec<GenerationRequest> codec =
        AvroCodec.forType(GenerationRequest.class, WriterSchemas.v1());
    return Optional.of(
        new DemoSource(
            DEMO_REQUESTS_PER_SECOND,
            n -> {
              String key = "demo-" + n;
              GenerationRequest request =
                  GenerationRequest.newBuilder()
                      .setRequestId(key)
                      .setCount(DEMO_IMAGES_PER_REQUEST)
                      .setSeed(n * DEMO_IMAGES_PER_REQUEST)
                      .build();
              return new DemoSource.KeyedValue(key, codec.encode(request));
            },
            () -> {}));
  }

  @Override
  public List<Object> produceCommands() {
    return List.of(new GenerationRequestsCommand());
  }

  @Override
  public List<Object> benchCommands() {
    return List.of(new GenerationBenchCommand());
  }

  @Override
  public List<ResultComparator<?>> resultComparators() {
    return List.of(new ImagesComparator());
  }
}
