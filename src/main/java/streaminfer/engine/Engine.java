package streaminfer.engine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import streaminfer.batch.BatchListener;
import streaminfer.broker.Topics;
import streaminfer.codec.WriterSchemas;
import streaminfer.ops.HealthCheck;
import streaminfer.ops.KafkaProbe;
import streaminfer.ops.ModelMetrics;
import streaminfer.ops.OpsServer;
import streaminfer.ops.PipelineMetrics;
import streaminfer.pipeline.BatchedModel;
import streaminfer.runtime.ModelRepository;
import streaminfer.runtime.ModelSession;
import streaminfer.stream.RecordProcessor;
import streaminfer.stream.StreamConfig;
import streaminfer.stream.StreamVerticle;

/**
 * The running engine: loads and verifies the models (a bad model fails the start), creates missing
 * topics, deploys one stream verticle per pipeline and the ops server. {@link #close} drains.
 */
public final class Engine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
  private static final long DEPLOY_TIMEOUT_SECONDS = 60;

  private final Vertx vertx;
  private final PrometheusMeterRegistry registry;
  private final List<BatchedModel> models;
  private final List<RecordProcessor> processors;
  private final List<PipelineMetrics> metrics;
  private final List<String> streamDeployments;
  private final KafkaProbe probe;
  private final OpsServer ops;
  private final ExecutorService workers;

  private Engine(
      Vertx vertx,
      PrometheusMeterRegistry registry,
      List<BatchedModel> models,
      List<RecordProcessor> processors,
      List<PipelineMetrics> metrics,
      List<String> streamDeployments,
      KafkaProbe probe,
      OpsServer ops,
      ExecutorService workers) {
    this.vertx = vertx;
    this.registry = registry;
    this.models = models;
    this.processors = processors;
    this.metrics = metrics;
    this.streamDeployments = streamDeployments;
    this.probe = probe;
    this.ops = ops;
    this.workers = workers;
  }

  public static Engine start(EngineConfig config) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    WriterSchemas schemas = WriterSchemas.v1();
    config.schemasDir().ifPresent(directory -> loadSchemas(schemas, directory));
    ModelRepository repository = new ModelRepository(config.modelsDir());
    List<BatchedModel> models = new ArrayList<>();
    List<RecordProcessor> processors = new ArrayList<>();
    List<PipelineMetrics> metrics = new ArrayList<>();
    List<StreamVerticle> streams = new ArrayList<>();
    List<KafkaProbe.LaggingGroup> groups = new ArrayList<>();
    Vertx vertx = Vertx.vertx();
    ExecutorService workers = preprocessingPool();
    try {
      for (String name : config.pipelines()) {
        PipelineDefinition definition = PipelineCatalog.get(name);
        PipelineMetrics pipelineMetrics =
            new PipelineMetrics(registry, name, definition.mainModel());
        Map<String, BatchedModel> loaded = new HashMap<>();
        for (String modelName : definition.models()) {
          ModelSession session = open(repository, modelName, loaded, config);
          describe(registry, session);
          BatchListener listener =
              modelName.equals(definition.mainModel())
                  ? pipelineMetrics
                  : new ModelMetrics(registry, modelName);
          BatchedModel model = new BatchedModel(session, config.batch(), listener);
          models.add(model);
          loaded.put(modelName, model);
        }
        metrics.add(pipelineMetrics);
        StreamConfig stream =
            StreamConfig.of(
                    config.bootstrapServers(),
                    config.groupIdPrefix() + "-" + config.topicPrefix() + name,
                    config.topicPrefix() + definition.inputTopic(),
                    config.topicPrefix() + definition.outputTopic())
                .withMaxInFlightRecords(config.maxInFlightRecords());
        Topics.ensure(
            config.bootstrapServers(),
            List.of(stream.inputTopic(), stream.outputTopic(), stream.deadLetterTopic()),
            config.topicPartitions());
        RecordProcessor processor =
            definition
                .factory()
                .create(
                    new PipelineContext(
                        definition, loaded, schemas, workers, config, stream, registry));
        processors.add(processor);
        streams.add(new StreamVerticle(stream, processor, pipelineMetrics));
        groups.add(
            new KafkaProbe.LaggingGroup(stream.groupId(), stream.inputTopic(), pipelineMetrics));
      }
      KafkaProbe probe = new KafkaProbe(config.bootstrapServers(), groups);
      probe.probe();
      vertx.setPeriodic(
          5_000,
          id ->
              vertx.executeBlocking(
                  () -> {
                    probe.probe();
                    return null;
                  },
                  false));
      List<String> deployments = new ArrayList<>();
      for (StreamVerticle stream : streams) {
        deployments.add(await(vertx.deployVerticle(stream)));
      }
      List<HealthCheck> liveness = new ArrayList<>();
      for (int i = 0; i < streams.size(); i++) {
        StreamVerticle stream = streams.get(i);
        liveness.add(
            new HealthCheck(
                "pipeline " + config.pipelines().get(i),
                () ->
                    stream.healthy()
                        ? Optional.empty()
                        : Optional.of("halted: a dead letter could not be produced")));
      }
      List<HealthCheck> readiness = new ArrayList<>(liveness);
      readiness.add(new HealthCheck("broker", probe::brokerProblem));
      OpsServer ops = new OpsServer(config.httpPort(), registry, liveness, readiness);
      await(vertx.deployVerticle(ops));
      LOG.info(
          "serving {} on {}; health and metrics on http://localhost:{}/",
          config.pipelines(),
          config.bootstrapServers(),
          ops.actualPort());
      return new Engine(
          vertx, registry, models, processors, metrics, deployments, probe, ops, workers);
    } catch (RuntimeException e) {
      processors.forEach(RecordProcessor::close);
      models.forEach(BatchedModel::close);
      workers.shutdownNow();
      vertx.close();
      throw e;
    }
  }

  /**
   * Opens a model, or for {@code <model>/<section>} the second graph of a model opened before it.
   */
  private static ModelSession open(
      ModelRepository repository,
      String name,
      Map<String, BatchedModel> loaded,
      EngineConfig config) {
    int slash = name.indexOf('/');
    if (slash < 0) {
      return repository.open(name, OptionalInt.empty(), config.devicePolicy(), config.tuning());
    }
    BatchedModel owner = loaded.get(name.substring(0, slash));
    if (owner == null) {
      throw new IllegalStateException(
          name + " is listed before its model " + name.substring(0, slash));
    }
    return repository.openAuxiliary(
        owner.session(), name.substring(slash + 1), config.devicePolicy(), config.tuning());
  }

  /** Decoding and preprocessing threads shared by the pipelines whose inputs are costly. */
  private static ExecutorService preprocessingPool() {
    AtomicInteger count = new AtomicInteger();
    return Executors.newFixedThreadPool(
        Runtime.getRuntime().availableProcessors(),
        runnable -> {
          Thread thread = new Thread(runnable, "preprocess-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }

  private static void loadSchemas(WriterSchemas schemas, java.nio.file.Path directory) {
    try {
      LOG.info(
          "accepting {} writer schemas from {}",
          schemas.loadDirectory(directory).size(),
          directory);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read writer schemas in " + directory, e);
    }
  }

  private static void describe(PrometheusMeterRegistry registry, ModelSession session) {
    String model = session.metadata().name();
    String version = Integer.toString(session.metadata().version());
    registry.gauge(
        "streaminfer.model.device",
        List.of(
            io.micrometer.core.instrument.Tag.of("model", model),
            io.micrometer.core.instrument.Tag.of("version", version),
            io.micrometer.core.instrument.Tag.of("device", session.device().name().toLowerCase())),
        1);
    Counter fallbacks = registry.counter("streaminfer.model.gpu.fallbacks", "model", model);
    session.fallbackReason().ifPresent(reason -> fallbacks.increment());
    LOG.info(
        "model {}/{} loaded from {} on {}", model, version, session.directory(), session.device());
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public List<PipelineMetrics> metrics() {
    return metrics;
  }

  public int httpPort() {
    return ops.actualPort();
  }

  /** Drains every pipeline (in-flight records are produced and committed), then releases all. */
  @Override
  public void close() {
    List<Future<Void>> undeployed = new ArrayList<>();
    streamDeployments.forEach(id -> undeployed.add(vertx.undeploy(id)));
    try {
      await(Future.join(undeployed));
    } catch (RuntimeException e) {
      LOG.warn("a pipeline did not drain cleanly", e);
    }
    workers.shutdown();
    processors.forEach(RecordProcessor::close);
    models.forEach(BatchedModel::close);
    probe.close();
    await(vertx.close());
    registry.close();
  }

  private static <T> T await(Future<T> future) {
    try {
      return future
          .toCompletionStage()
          .toCompletableFuture()
          .get(DEPLOY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(e.getCause() == null ? e : e.getCause());
    }
  }
}
