package streaminfer.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.IntFunction;
import streaminfer.batch.BatchListener;
import streaminfer.config.ConfigException;
import streaminfer.config.ModelRef;
import streaminfer.config.PipelineSettings;
import streaminfer.family.FamilyModule;
import streaminfer.family.ModelRole;
import streaminfer.pipeline.BatchedModel;
import streaminfer.runtime.ModelRepository;
import streaminfer.runtime.ModelSession;

/**
 * Loads the models of one pipeline, one per role of its family, each behind its micro-batcher with
 * the pipeline's batching, device and threads. A model whose model.json names another family is
 * refused: its inputs and outputs would not be what the family's processor reads.
 */
final class PipelineModels {
  private PipelineModels() {}

  /**
   * @param mainListener observes the main model's batches (the pipeline's own metrics); the other
   *     roles' batches go to {@code otherListeners}
   * @param loaded collects every model opened, so a failure later can close them all
   */
  static Map<String, BatchedModel> load(
      ModelRepository repository,
      PipelineSettings pipeline,
      IntFunction<BatchListener> mainListener,
      BiFunction<String, Integer, BatchListener> otherListeners,
      List<BatchedModel> loaded) {
    FamilyModule<?> family = pipeline.family().module();
    Map<String, BatchedModel> models = new LinkedHashMap<>();
    List<ModelRole> roles = new ArrayList<>(family.models());
    for (ModelRole role : roles) {
      ModelSession session = open(repository, pipeline, role, models);
      String declared = session.metadata().family();
      if (!declared.equals(family.name())) {
        session.close();
        throw new ConfigException(
            "pipelines[" + pipeline.name() + "].model",
            "model "
                + session.metadata().name()
                + "/"
                + session.metadata().version()
                + " is of family '"
                + declared
                + "' (model.json), not '"
                + family.name()
                + "'");
      }
      int version = session.metadata().version();
      BatchListener listener =
          role == roles.get(0)
              ? mainListener.apply(version)
              : otherListeners.apply(session.metadata().name(), version);
      BatchedModel model = new BatchedModel(session, pipeline.batch(), listener);
      loaded.add(model);
      models.put(role.role(), model);
    }
    return models;
  }

  private static ModelSession open(
      ModelRepository repository,
      PipelineSettings pipeline,
      ModelRole role,
      Map<String, BatchedModel> opened) {
    if (role.isSection()) {
      BatchedModel owner = opened.get(role.owner().orElseThrow());
      if (owner == null) {
        throw new IllegalStateException(
            "role " + role.role() + " is listed before its owner " + role.owner().orElseThrow());
      }
      return repository.openAuxiliary(
          owner.session(),
          role.section().orElseThrow(),
          pipeline.device(),
          pipeline.tuning(),
          pipeline.warmup());
    }
    ModelRef ref = pipeline.models().get(role.role());
    return repository.open(
        ref.name(), ref.version(), pipeline.device(), pipeline.tuning(), pipeline.warmup());
  }
}
