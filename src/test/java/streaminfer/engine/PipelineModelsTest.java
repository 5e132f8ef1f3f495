package streaminfer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import streaminfer.batch.BatchListener;
import streaminfer.config.ConfigBuilder;
import streaminfer.config.ConfigException;
import streaminfer.config.PipelineSettings;
import streaminfer.pipeline.BatchedModel;
import streaminfer.runtime.ModelRepository;

class PipelineModelsTest {
  private static final Path MODELS = Path.of("models");
  private final ModelRepository repository = new ModelRepository(MODELS);
  private final List<BatchedModel> loaded = new ArrayList<>();

  private PipelineSettings pipeline(ConfigBuilder builder) {
    return builder.defaults("device", "cpu").defaults("warmup.runs", 0).build().pipelines().get(0);
  }

  @Test
  void loadsOneModelPerRoleIncludingASecondGraphOfAnotherRolesModel() {
    PipelineSettings games =
        pipeline(ConfigBuilder.of("unused:9092", MODELS).pipeline("guesswhat"));
    try {
      Map<String, BatchedModel> models =
          PipelineModels.load(
              repository,
              games,
              version -> BatchListener.NONE,
              (name, version) -> BatchListener.NONE,
              loaded);
      assertEquals(
          List.of("qgen", "sceneEncoder", "oracle", "guesser"), List.copyOf(models.keySet()));
      assertEquals(
          "guesswhat-qgen/sceneEncoder", models.get("sceneEncoder").session().metadata().name());
      assertEquals(4, loaded.size());
    } finally {
      loaded.forEach(BatchedModel::close);
    }
  }

  @Test
  void refusesAModelWhoseMetadataNamesAnotherFamily() {
    PipelineSettings wrong =
        pipeline(
            ConfigBuilder.of("unused:9092", MODELS)
                .pipeline("ssd")
                .inPipeline("ssd", "model", "dgex"));
    ConfigException error =
        assertThrows(
            ConfigException.class,
            () ->
                PipelineModels.load(
                    repository,
                    wrong,
                    version -> BatchListener.NONE,
                    (name, version) -> BatchListener.NONE,
                    loaded));
    assertEquals("pipelines[ssd].model", error.key());
    assertTrue(error.getMessage().contains("family 'dgex'"), error.getMessage());
    assertTrue(loaded.isEmpty(), "the refused model is closed, not kept");
  }
}
