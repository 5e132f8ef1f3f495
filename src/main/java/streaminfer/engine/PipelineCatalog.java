package streaminfer.engine;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import streaminfer.codec.AvroCodec;
import streaminfer.family.dgex.GeneExpressionTask;
import streaminfer.pipeline.ModelPipeline;
import streaminfer.v1.GeneExpression;
import streaminfer.v1.GenePanel;

/** Every pipeline this build can serve, by name. */
public final class PipelineCatalog {
  private static final Map<String, PipelineDefinition> PIPELINES =
      List.of(dgex()).stream()
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
        (model, schemas) ->
            new ModelPipeline<>(
                AvroCodec.forType(GenePanel.class, schemas),
                AvroCodec.forType(GeneExpression.class, schemas),
                new GeneExpressionTask(model.session().metadata()),
                model));
  }
}
