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
import streaminfer.family.ssd.DetectionTask;
import streaminfer.family.ssd.FrameImageDecoder;
import streaminfer.family.ssd.SsdDecoder;
import streaminfer.pipeline.ModelPipeline;
import streaminfer.runtime.ModelMetadata;
import streaminfer.v1.Detections;
import streaminfer.v1.Frame;
import streaminfer.v1.GeneExpression;
import streaminfer.v1.GenePanel;

/** Every pipeline this build can serve, by name. */
public final class PipelineCatalog {
  private static final Map<String, PipelineDefinition> PIPELINES =
      List.of(dgex(), ssd()).stream()
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
        "dgex",
        "gene-panels",
        "gene-expression",
        (model, schemas, workers, config) ->
            new ModelPipeline<>(
                AvroCodec.forType(GenePanel.class, schemas),
                AvroCodec.forType(GeneExpression.class, schemas),
                new GeneExpressionTask(model.session().metadata()),
                model,
                // A panel decodes in microseconds: a thread hop would cost more than it saves.
                Runnable::run));
  }

  /** SSD: {@code frames} (Frame) to {@code detections} (Detections), one per frame. */
  public static PipelineDefinition ssd() {
    return new PipelineDefinition(
        "ssd",
        "ssd",
        "frames",
        "detections",
        (model, schemas, workers, config) -> {
          ModelMetadata metadata = model.session().metadata();
          return new ModelPipeline<>(
              AvroCodec.forType(Frame.class, schemas),
              AvroCodec.forType(Detections.class, schemas),
              new DetectionTask(
                  metadata,
                  new FrameImageDecoder(config.maxFramePixels()),
                  SsdDecoder.fromMetadata(metadata),
                  config.maxFrameAgeMillis() > 0
                      ? Optional.of(Duration.ofMillis(config.maxFrameAgeMillis()))
                      : Optional.empty(),
                  Clock.systemUTC()),
              model,
              workers);
        });
  }
}
