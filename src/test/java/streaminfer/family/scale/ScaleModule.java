package streaminfer.family.scale;

import java.util.List;
import streaminfer.codec.AvroCodec;
import streaminfer.config.ConfigNode;
import streaminfer.family.FamilyContext;
import streaminfer.family.FamilyModule;
import streaminfer.family.ModelRole;
import streaminfer.family.NoSettings;
import streaminfer.family.TopicSpec;
import streaminfer.pipeline.ModelPipeline;
import streaminfer.stream.RecordProcessor;
import streaminfer.v1.GeneExpression;
import streaminfer.v1.GenePanel;

/**
 * A family that exists only in the tests: rows of four numbers through y = 2x + 1 (the graph {@code
 * exporters/common/tiny_family.py} writes). It lives wholly in this package, its services line and
 * its model, as any new family should.
 */
public final class ScaleModule implements FamilyModule<NoSettings> {
  @Override
  public String name() {
    return "scale";
  }

  @Override
  public String description() {
    return "test-only: rows of four numbers to 2x + 1";
  }

  @Override
  public TopicSpec input() {
    return new TopicSpec("numbers", "numbers", GenePanel.class);
  }

  @Override
  public List<TopicSpec> outputs() {
    return List.of(new TopicSpec("scaled", "scaled", GeneExpression.class));
  }

  @Override
  public List<ModelRole> models() {
    return List.of(ModelRole.of(ModelRole.MAIN, "scale"));
  }

  @Override
  public NoSettings settings(ConfigNode node) {
    return NoSettings.INSTANCE;
  }

  @Override
  public RecordProcessor processor(FamilyContext context, NoSettings settings) {
    var model = context.model(ModelRole.MAIN);
    return new ModelPipeline<>(
        AvroCodec.forType(GenePanel.class, context.schemas()),
        AvroCodec.forType(GeneExpression.class, context.schemas()),
        new ScaleTask(model.session().metadata()),
        model,
        Runnable::run,
        context.outputTopic("scaled"));
  }
}
