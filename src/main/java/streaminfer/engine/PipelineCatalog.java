package streaminfer.engine;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import streaminfer.codec.AvroCodec;
import streaminfer.family.dgex.GeneExpressionTask;
import streaminfer.family.guesswhat.DialogueMetrics;
import streaminfer.family.guesswhat.DialogueProcessor;
import streaminfer.family.guesswhat.DialogueSettings;
import streaminfer.family.guesswhat.GameSpec;
import streaminfer.family.guesswhat.Players;
import streaminfer.family.ssd.DetectionTask;
import streaminfer.family.ssd.FrameImageDecoder;
import streaminfer.family.ssd.SsdDecoder;
import streaminfer.pipeline.BatchedModel;
import streaminfer.pipeline.ModelPipeline;
import streaminfer.runtime.ModelMetadata;
import streaminfer.v1.Detections;
import streaminfer.v1.Frame;
import streaminfer.v1.GeneExpression;
import streaminfer.v1.GenePanel;

/** Every pipeline this build can serve, by name. */
public final class PipelineCatalog {
  private static final Map<String, PipelineDefinition> PIPELINES =
      List.of(dgex(), ssd(), guesswhat()).stream()
          .collect(Collectors.toUnmodifiableMap(PipelineDefinition::name, Function.identity()));

  private PipelineCatalog() {}

  public static PipelineDefinition get(String name) {
    PipelineDefinition definition = PIPELINES.get(name);
    if (definition == null) {
      throw new IllegalArgumentException(
          "unknown pipeline '" + name + "'; this build serves " + PIPELINES.keySet());
    }
    return definition;
  }

  /** D-GEX: {@code gene-panels} (GenePanel) to {@code gene-expression} (GeneExpression). */
  public static PipelineDefinition dgex() {
    return new PipelineDefinition(
        "dgex",
        List.of("dgex"),
        "gene-panels",
        "gene-expression",
        context ->
            new ModelPipeline<>(
                AvroCodec.forType(GenePanel.class, context.schemas()),
                AvroCodec.forType(GeneExpression.class, context.schemas()),
                new GeneExpressionTask(context.mainModel().session().metadata()),
                context.mainModel(),
                // A panel decodes in microseconds: a thread hop would cost more than it saves.
                Runnable::run));
  }

  /** SSD: {@code frames} (Frame) to {@code detections} (Detections), one per frame. */
  public static PipelineDefinition ssd() {
    return new PipelineDefinition(
        "ssd",
        List.of("ssd"),
        "frames",
        "detections",
        context -> {
          BatchedModel model = context.mainModel();
          EngineConfig config = context.config();
          ModelMetadata metadata = model.session().metadata();
          return new ModelPipeline<>(
              AvroCodec.forType(Frame.class, context.schemas()),
              AvroCodec.forType(Detections.class, context.schemas()),
              new DetectionTask(
                  metadata,
                  new FrameImageDecoder(config.maxFramePixels()),
                  SsdDecoder.fromMetadata(metadata),
                  config.maxFrameAgeMillis() > 0
                      ? Optional.of(Duration.ofMillis(config.maxFrameAgeMillis()))
                      : Optional.empty(),
                  Clock.systemUTC()),
              model,
              context.workers());
        });
  }

  /**
   * GuessWhat?!: {@code dialogue-turns} (DialogueTurn) to {@code dialogue-replies} (DialogueReply),
   * one reply per turn; game states on the compacted {@code dialogue-state}.
   */
  public static PipelineDefinition guesswhat() {
    return new PipelineDefinition(
        "guesswhat",
        List.of(
            "guesswhat-qgen",
            "guesswhat-qgen/sceneEncoder",
            "guesswhat-oracle",
            "guesswhat-guesser"),
        "dialogue-turns",
        "dialogue-replies",
        context -> {
          BatchedModel questioner = context.model("guesswhat-qgen");
          EngineConfig config = context.config();
          Players players =
              new Players(
                  GameSpec.fromMetadata(questioner.session().metadata()),
                  context.model("guesswhat-oracle"),
                  questioner,
                  context.model("guesswhat-qgen/sceneEncoder"),
                  context.model("guesswhat-guesser"));
          return DialogueProcessor.start(
              players,
              new DialogueMetrics(context.registry()),
              context.schemas(),
              context.stream().inputTopic(),
              new DialogueSettings(
                  config.bootstrapServers(),
                  context.stream().outputTopic(),
                  config.topicPrefix() + "dialogue-state",
                  Duration.ofMillis(config.gameIdleMillis()),
                  config.maxGames(),
                  context.stream().clientOverrides(),
                  Clock.systemUTC()));
        });
  }
}
