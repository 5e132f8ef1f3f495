package streaminfer.engine;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import streaminfer.codec.WriterSchemas;
import streaminfer.config.EngineSettings;
import streaminfer.config.PipelineSettings;
import streaminfer.ops.ModelMetrics;
import streaminfer.ops.PipelineMetrics;
import streaminfer.pipeline.BatchedModel;
import streaminfer.pipeline.Viewers;
import streaminfer.runtime.ModelRepository;
import streaminfer.stream.RecordProcessor;
import streaminfer.stream.StreamVerticle;
import streaminfer.stream.state.StreamState;

/**
 * Model hot reload, like Triton's repository polling: a new version directory of a model that a
 * stateless pipeline serves as {@code latest} is loaded, verified (a model.json of the family, a
 * graph that opens), warmed up (its batches, then the family's sample records end to end) and then
 * switched to while the stream runs. The switch is one call on the pipeline's event loop, so each
 * partition moves to the new version at one offset; the old processor and models close once the
 * records they were given have finished. Outputs name the version that made them. A version that
 * fails to load is logged and counted ({@code streaminfer_model_reloads_total{outcome="failed"}}),
 * not tried again, and the old one keeps serving.
 */
final class ModelReloader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelReloader.class);

  /** A pipeline that hot reload may switch, and what it serves now. */
  record Served(
      PipelineSettings pipeline,
      StreamVerticle stream,
      StreamState state,
      PipelineMetrics metrics,
      Viewers viewers,
      Generation current) {}

  /** One model version's processor and the models it runs. */
  record Generation(int version, RecordProcessor processor, List<BatchedModel> models) {}

  private final EngineSettings settings;
  private final ModelRepository repository;
  private final WriterSchemas schemas;
  private final ExecutorService workers;
  private final PrometheusMeterRegistry registry;
  private final List<Served> served;
  private final List<BatchedModel> engineModels;
  private final List<RecordProcessor> engineProcessors;
  private final Set<String> failed = new HashSet<>();
  private volatile boolean closed;

  ModelReloader(
      EngineSettings settings,
      ModelRepository repository,
      WriterSchemas schemas,
      ExecutorService workers,
      PrometheusMeterRegistry registry,
      List<Served> served,
      List<BatchedModel> engineModels,
      List<RecordProcessor> engineProcessors) {
    this.settings = settings;
    this.repository = repository;
    this.schemas = schemas;
    this.workers = workers;
    this.registry = registry;
    this.served = new ArrayList<>(served);
    this.engineModels = engineModels;
    this.engineProcessors = engineProcessors;
    // Present from the start, at 0, so that rules on them see a series before the first reload.
    for (Served pipeline : served) {
      for (String outcome : List.of("loaded", "failed")) {
        registry.counter(
            "streaminfer.model.reloads",
            "pipeline",
            pipeline.pipeline().name(),
            "outcome",
            outcome);
      }
    }
  }

  /** Looks for newer versions and switches to each that loads; blocks while one loads. */
  synchronized void reloadNewVersions() {
    try {
      reloadEach();
    } catch (RuntimeException e) {
      LOG.warn("looking for new model versions failed; trying again at the next poll", e);
    }
  }

  private void reloadEach() {
    for (int i = 0; i < served.size() && !closed; i++) {
      Served pipeline = served.get(i);
      String model = pipeline.pipeline().mainModel().name();
      Path directory = repository.versionDirectory(model, OptionalInt.empty());
      int latest = Integer.parseInt(directory.getFileName().toString());
      String key = model + "/" + latest;
      // A failed version is tried again only once its files change (a copy that was incomplete).
      String attempt = key + "@" + lastModified(directory);
      if (latest <= pipeline.current().version() || failed.contains(attempt)) {
        continue;
      }
      try {
        served.set(i, switchTo(pipeline, latest));
        count(pipeline, "loaded");
      } catch (RuntimeException e) {
        failed.add(attempt);
        count(pipeline, "failed");
        LOG.error(
            "pipeline {}: model {} failed to load; version {} keeps serving",
            pipeline.pipeline().name(),
            key,
            pipeline.current().version(),
            e);
      }
    }
  }

  private Served switchTo(Served pipeline, int version) {
    PipelineSettings pinned = pipeline.pipeline().withMainModelVersion(version);
    List<BatchedModel> opened = new ArrayList<>();
    RecordProcessor processor;
    try {
      Map<String, BatchedModel> loaded =
          PipelineModels.load(
              repository,
              pinned,
              pipeline.metrics()::mainModel,
              (name, loadedVersion) -> new ModelMetrics(registry, name, loadedVersion),
              opened);
      processor =
          Engine.processor(
              pinned, loaded, schemas, workers, registry, pipeline.state(), pipeline.viewers());
      Engine.warmUp(settings, pinned, processor);
      loaded.values().forEach(model -> Engine.describe(registry, model.session()));
    } catch (RuntimeException e) {
      opened.forEach(BatchedModel::close);
      throw e;
    }
    engineModels.addAll(opened);
    engineProcessors.add(processor);
    Generation old = pipeline.current();
    pipeline.stream()
        .replaceProcessor(processor)
        .onSuccess(retired -> retire(pipeline.pipeline(), old));
    LOG.info(
        "pipeline {}: switched from {} version {} to version {}",
        pipeline.pipeline().name(),
        pipeline.pipeline().mainModel().name(),
        old.version(),
        version);
    return new Served(
        pipeline.pipeline(),
        pipeline.stream(),
        pipeline.state(),
        pipeline.metrics(),
        pipeline.viewers(),
        new Generation(version, processor, List.copyOf(opened)));
  }

  /** Closes a replaced version once its last record has finished. */
  private void retire(PipelineSettings pipeline, Generation old) {
    engineProcessors.remove(old.processor());
    old.processor().close();
    for (BatchedModel model : old.models()) {
      engineModels.remove(model);
      registry
          .find("streaminfer.model.info")
          .tag("model", model.session().metadata().name())
          .tag("version", Integer.toString(model.session().metadata().version()))
          .meters()
          .forEach(registry::remove);
      model.close();
    }
    LOG.info("pipeline {}: version {} closed", pipeline.name(), old.version());
  }

  private void count(Served pipeline, String outcome) {
    registry
        .counter(
            "streaminfer.model.reloads", "pipeline", pipeline.pipeline().name(), "outcome", outcome)
        .increment();
  }

  private static long lastModified(Path directory) {
    try (Stream<Path> files = Files.walk(directory)) {
      return files.mapToLong(ModelReloader::modified).max().orElse(0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long modified(Path file) {
    try {
      return Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for a reload under way; none starts after. */
  @Override
  public synchronized void close() {
    closed = true;
  }
}
