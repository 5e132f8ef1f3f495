package streaminfer.engine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import streaminfer.broker.Topics;
import streaminfer.codec.WriterSchemas;
import streaminfer.config.EngineSettings;
import streaminfer.config.PipelineSettings;
import streaminfer.family.FamilyContext;
import streaminfer.ops.HealthCheck;
import streaminfer.ops.KafkaProbe;
import streaminfer.ops.ModelMetrics;
import streaminfer.ops.OpsRoutes;
import streaminfer.ops.OpsServer;
import streaminfer.ops.PipelineMetrics;
import streaminfer.ops.ProcessMetrics;
import streaminfer.ops.Tracing;
import streaminfer.ops.dashboard.Dashboard;
import streaminfer.pipeline.BatchedModel;
import streaminfer.pipeline.Viewers;
import streaminfer.pipeline.Warmable;
import streaminfer.runtime.ModelRepository;
import streaminfer.runtime.ModelSession;
import streaminfer.stream.KafkaPreflight;
import streaminfer.stream.KafkaWarmup;
import streaminfer.stream.RecordProcessor;
import streaminfer.stream.StreamConfig;
import streaminfer.stream.StreamVerticle;
import streaminfer.stream.state.StreamState;

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
  private final List<StreamState> states;
  private final ProcessMetrics processMetrics;
  private final List<PipelineMetrics> metrics;
  private final List<String> streamDeployments;
  private final KafkaProbe probe;
  private final OpsServer ops;
  private final ExecutorService workers;
  private final ModelReloader reloader;
  private final Tracing tracing;

  private Engine(
      Vertx vertx,
      PrometheusMeterRegistry registry,
      ProcessMetrics processMetrics,
      List<BatchedModel> models,
      List<RecordProcessor> processors,
      List<StreamState> states,
      List<PipelineMetrics> metrics,
      List<String> streamDeployments,
      KafkaProbe probe,
      OpsServer ops,
      ExecutorService workers,
      ModelReloader reloader,
      Tracing tracing) {
    this.vertx = vertx;
    this.registry = registry;
    this.processMetrics = processMetrics;
    this.models = models;
    this.processors = processors;
    this.states = states;
    this.metrics = metrics;
    this.streamDeployments = streamDeployments;
    this.probe = probe;
    this.ops = ops;
    this.reloader = reloader;
    this.workers = workers;
    this.tracing = tracing;
  }

  public static Engine start(EngineSettings settings) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ProcessMetrics processMetrics = ProcessMetrics.bindTo(registry);
    WriterSchemas schemas = WriterSchemas.v1();
    settings.schemasDir().ifPresent(directory -> loadSchemas(schemas, directory));
    ModelRepository repository = new ModelRepository(settings.modelsDir());
    // A hot reload adds to and removes from these while the engine runs.
    List<BatchedModel> models = new CopyOnWriteArrayList<>();
    List<RecordProcessor> processors = new CopyOnWriteArrayList<>();
    List<ModelReloader.Served> reloadable = new ArrayList<>();
    List<StreamState> states = new ArrayList<>();
    List<PipelineMetrics> metrics = new ArrayList<>();
    List<StreamVerticle> streams = new ArrayList<>();
    List<KafkaProbe.LaggingGroup> groups = new ArrayList<>();
    // One clear error (refused credentials, untrusted certificate) before anything starts.
    KafkaPreflight.check(settings.kafka());
    Optional<Dashboard> dashboard =
        settings.ops().dashboard().enabled()
            ? Optional.of(new Dashboard(settings.ops().dashboard(), Clock.systemUTC()))
            : Optional.empty();
    Vertx vertx = Vertx.vertx();
    ExecutorService workers = preprocessingPool();
    Tracing tracing = Tracing.fromEnvironment();
    try {
      settings
          .kafkaWarmup()
          .ifPresent(
              topic ->
                  LOG.info(
                      "Kafka clients warmed up with {} records on {} in {} ms",
                      settings.kafkaWarmupRecords(),
                      topic,
                      KafkaWarmup.run(vertx, settings.kafka(), topic, settings.kafkaWarmupRecords())
                          .toMillis()));
      for (PipelineSettings pipeline : settings.pipelines()) {
        PipelineMetrics pipelineMetrics =
            new PipelineMetrics(registry, pipeline.name(), pipeline.mainModel().name());
        Map<String, BatchedModel> loaded =
            PipelineModels.load(
                repository,
                pipeline,
                pipelineMetrics::mainModel,
                (name, version) -> new ModelMetrics(registry, name, version),
                models);
        loaded.values().forEach(model -> describe(registry, model.session()));
        metrics.add(pipelineMetrics);
        StreamConfig stream = streamConfig(settings, pipeline);
        StreamState state = StreamState.of(stream, topic -> settings.topicPrefix() + topic);
        states.add(state);
        List<String> topics = new ArrayList<>();
        topics.add(pipeline.inputTopic());
        topics.addAll(pipeline.outputTopics().values());
        topics.add(pipeline.deadLetterTopic());
        Topics.ensure(settings.kafka(), topics, settings.topicPartitions(), Map.of());
        Viewers viewers = dashboard.map(live -> live.watch(pipelineMetrics)).orElse(Viewers.NONE);
        RecordProcessor processor =
            processor(pipeline, loaded, schemas, workers, registry, state, viewers);
        processors.add(processor);
        warmUp(settings, pipeline, processor);
        StreamVerticle verticle =
            new StreamVerticle(
                stream,
                processor,
                state,
                pipelineMetrics,
                tracing.recordTracer(pipeline.name(), stream.groupId()));
        streams.add(verticle);
        if (!state.stateful() && pipeline.mainModel().version().isEmpty()) {
          reloadable.add(
              new ModelReloader.Served(
                  pipeline,
                  verticle,
                  state,
                  pipelineMetrics,
                  viewers,
                  new ModelReloader.Generation(
                      loaded.values().iterator().next().session().metadata().version(),
                      processor,
                      List.copyOf(loaded.values()))));
        }
        groups.add(
            new KafkaProbe.LaggingGroup(stream.groupId(), stream.inputTopic(), pipelineMetrics));
      }
      KafkaProbe probe = new KafkaProbe(settings.kafka(), groups);
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
      List<HealthCheck> readiness = new ArrayList<>();
      readiness.add(new HealthCheck("broker", probe::brokerProblem));
      for (int i = 0; i < streams.size(); i++) {
        StreamVerticle stream = streams.get(i);
        String pipeline = "pipeline " + settings.pipelines().get(i).name();
        HealthCheck consuming =
            new HealthCheck(
                pipeline,
                () ->
                    stream.healthy()
                        ? Optional.empty()
                        : Optional.of("halted: a dead letter could not be produced"));
        liveness.add(consuming);
        readiness.add(consuming);
        Gauge.builder("streaminfer.pipeline.halted", stream, halted -> halted.healthy() ? 0 : 1)
            .description(
                "1 once the pipeline stopped consuming after a fatal produce or commit failure")
            .tag("pipeline", settings.pipelines().get(i).name())
            .register(registry);
        readiness.add(
            new HealthCheck(
                pipeline + " group",
                () ->
                    stream.joined()
                        ? Optional.empty()
                        : Optional.of("its consumer has not joined its group yet")));
        readiness.add(new HealthCheck(pipeline + " records", stream::stuck));
      }
      OpsServer ops =
          new OpsServer(
              settings.ops().bindAddress(),
              settings.ops().port(),
              registry,
              liveness,
              readiness,
              dashboard.<List<OpsRoutes>>map(List::of).orElse(List.of()));
      await(vertx.deployVerticle(ops));
      LOG.info(
          "serving {} on {}; health and metrics on http://{}:{}/{}",
          settings.pipelines().stream().map(PipelineSettings::name).toList(),
          settings.bootstrapServers(),
          settings.ops().bindAddress(),
          ops.actualPort(),
          dashboard.isPresent() ? ", the live dashboard on " + Dashboard.PATH + "/" : "");
      ModelReloader reloader =
          new ModelReloader(
              settings, repository, schemas, workers, registry, reloadable, models, processors);
      if (settings.modelPollSeconds() > 0 && !reloadable.isEmpty()) {
        long every = TimeUnit.SECONDS.toMillis(settings.modelPollSeconds());
        vertx.setPeriodic(
            every,
            id ->
                vertx.executeBlocking(
                    () -> {
                      reloader.reloadNewVersions();
                      return null;
                    },
                    true));
        LOG.info(
            "looking for new model versions every {} s for {}",
            settings.modelPollSeconds(),
            reloadable.stream().map(served -> served.pipeline().name()).toList());
      }
      return new Engine(
          vertx,
          registry,
          processMetrics,
          models,
          processors,
          states,
          metrics,
          deployments,
          probe,
          ops,
          workers,
          reloader,
          tracing);
    } catch (RuntimeException e) {
      processors.forEach(RecordProcessor::close);
      states.forEach(StreamState::close);
      models.forEach(BatchedModel::close);
      workers.shutdownNow();
      vertx.close();
      processMetrics.close();
      tracing.close();
      throw e;
    }
  }

  /** The stream layer's configuration of one pipeline, as the engine runs it. */
  public static StreamConfig streamConfig(EngineSettings settings, PipelineSettings pipeline) {
    return new StreamConfig(
        pipeline.name(),
        settings.bootstrapServers(),
        pipeline.groupId(),
        pipeline.inputTopic(),
        Set.copyOf(pipeline.outputTopics().values()),
        pipeline.deadLetterTopic(),
        pipeline.maxInFlightRecords(),
        pipeline.commitIntervalMillis(),
        StreamConfig.DEFAULT_DRAIN_TIMEOUT_MILLIS,
        pipeline.recordTimeoutMillis(),
        settings.kafka(),
        pipeline.delivery());
  }

  /**
   * The family's record processor over the pipeline's loaded models, reporting its answers to
   * {@code viewers} (the live dashboard).
   */
  static RecordProcessor processor(
      PipelineSettings pipeline,
      Map<String, BatchedModel> loaded,
      WriterSchemas schemas,
      ExecutorService workers,
      PrometheusMeterRegistry registry,
      StreamState state,
      Viewers viewers) {
    return pipeline
        .family()
        .processor(
            new FamilyContext(
                pipeline.name(),
                loaded,
                schemas,
                workers,
                pipeline.inputTopic(),
                pipeline.outputTopics(),
                pipeline.maxInputAge(),
                registry,
                Clock.systemUTC(),
                state.stores(),
                state.emitter(),
                viewers));
  }

  /**
   * Runs the family's sample records through a stateless pipeline before it consumes, timed and
   * logged; the models themselves were warmed up when they loaded.
   */
  static void warmUp(
      EngineSettings settings, PipelineSettings pipeline, RecordProcessor processor) {
    if (!(processor instanceof Warmable warmable) || pipeline.warmup().runs() == 0) {
      return;
    }
    int samples =
        pipeline.warmup().batchSizes().stream().mapToInt(Integer::intValue).max().orElse(1);
    pipeline
        .family()
        .module()
        .demo(settings.modelsDir())
        .ifPresent(
            source -> {
              try (source) {
                long started = System.nanoTime();
                List<byte[]> values = new ArrayList<>();
                for (int i = 0; i < samples; i++) {
                  values.add(source.next().apply(i).value());
                }
                int ran = warmable.warmUp(values, pipeline.warmup());
                LOG.info(
                    "pipeline {} warmed up end to end with {} sample records in {} ms",
                    pipeline.name(),
                    ran,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
              }
            });
  }

  /** Decoding and preprocessing threads shared by the pipelines whose inputs are costly. */
  static ExecutorService preprocessingPool() {
    AtomicInteger count = new AtomicInteger();
    return Executors.newFixedThreadPool(
        Runtime.getRuntime().availableProcessors(),
        runnable -> {
          Thread thread = new Thread(runnable, "preprocess-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }

  static void loadSchemas(WriterSchemas schemas, java.nio.file.Path directory) {
    try {
      LOG.info(
          "accepting {} writer schemas from {}",
          schemas.loadDirectory(directory).size(),
          directory);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read writer schemas in " + directory, e);
    }
  }

  static void describe(PrometheusMeterRegistry registry, ModelSession session) {
    String model = session.metadata().name();
    String version = Integer.toString(session.metadata().version());
    // An _info metric: the labels are the information, the value is always 1.
    registry.gauge(
        "streaminfer.model.info",
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
    reloader.close();
    List<Future<Void>> undeployed = new ArrayList<>();
    streamDeployments.forEach(id -> undeployed.add(vertx.undeploy(id)));
    try {
      await(Future.join(undeployed));
    } catch (RuntimeException e) {
      LOG.warn("a pipeline did not drain cleanly", e);
    }
    workers.shutdown();
    processors.forEach(RecordProcessor::close);
    states.forEach(StreamState::close);
    models.forEach(BatchedModel::close);
    probe.close();
    await(vertx.close());
    processMetrics.close();
    tracing.close();
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
