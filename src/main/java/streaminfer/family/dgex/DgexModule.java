package streaminfer.family.dgex;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import streaminfer.codec.AvroCodec;
import streaminfer.codec.WriterSchemas;
import streaminfer.compare.ResultComparator;
import streaminfer.config.ConfigNode;
import streaminfer.family.DemoSource;
import streaminfer.family.FamilyContext;
import streaminfer.family.FamilyModule;
import streaminfer.family.ModelRole;
import streaminfer.family.NoSettings;
import streaminfer.family.TopicSpec;
import streaminfer.family.dgex.tools.DgexBenchCommand;
import streaminfer.family.dgex.tools.ExpressionComparator;
import streaminfer.family.dgex.tools.GenePanelsCommand;
import streaminfer.pipeline.ModelPipeline;
import streaminfer.runtime.ModelRepository;
import streaminfer.stream.RecordProcessor;
import streaminfer.v1.GeneExpression;
import streaminfer.v1.GenePanel;

/** D-GEX: {@code gene-panels} (GenePanel) to {@code gene-expression} (GeneExpression). */
public final class DgexModule implements FamilyModule<NoSettings> {
  public static final String NAME = "dgex";
  private static final double DEMO_PANELS_PER_SECOND = 300;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "D-GEX: landmark gene panels to inferred target gene expression";
  }

  @Override
  public TopicSpec input() {
    return new TopicSpec("panels", "gene-panels", GenePanel.class);
  }

  @Override
  public List<TopicSpec> outputs() {
    return List.of(new TopicSpec("expression", "gene-expression", GeneExpression.class));
  }

  @Override
  public List<ModelRole> models() {
    return List.of(ModelRole.of(ModelRole.MAIN, NAME));
  }

  @Override
  public NoSettings settings(ConfigNode node) {
    return NoSettings.INSTANCE;
  }

  @Override
  public RecordProcessor processor(FamilyContext context, NoSettings settings) {
    return new ModelPipeline<>(
        AvroCodec.forType(GenePanel.class, context.schemas()),
        AvroCodec.forType(GeneExpression.class, context.schemas()),
        new GeneExpressionTask(context.model(ModelRole.MAIN).session().metadata()),
        context.model(ModelRole.MAIN),
        // A panel decodes in microseconds: a thread hop would cost more than it saves.
        Runnable::run,
        context.outputTopic("expression"));
  }

  @Override
  public Optional<DemoSource> demo(Path modelsDir) {
    Path version = new ModelRepository(modelsDir).versionDirectory(NAME, OptionalInt.empty());
    SyntheticPanels panels = SyntheticPanels.fromGolden(version, 42);
    AvroCodec<GenePanel> codec = AvroCodec.forType(GenePanel.class, WriterSchemas.v1());
    return Optional.of(
        new DemoSource(
            DEMO_PANELS_PER_SECOND,
            n -> {
              String key = "demo-" + n;
              return new DemoSource.KeyedValue(key, codec.encode(panels.next(key)));
            },
            () -> {}));
  }

  @Override
  public List<Object> produceCommands() {
    return List.of(new GenePanelsCommand());
  }

  @Override
  public List<Object> benchCommands() {
    return List.of(new DgexBenchCommand());
  }

  @Override
  public List<ResultComparator<?>> resultComparators() {
    return List.of(new ExpressionComparator());
  }
}
