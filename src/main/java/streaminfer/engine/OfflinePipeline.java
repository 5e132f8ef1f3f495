package streaminfer.engine;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import streaminfer.batch.BatchListener;
import streaminfer.codec.WriterSchemas;
import streaminfer.config.EngineSettings;
import streaminfer.config.PipelineSettings;
import streaminfer.family.FamilyContext;
import streaminfer.pipeline.BatchedModel;
import streaminfer.runtime.ModelRepository;
import streaminfer.runtime.ModelSession;
import streaminfer.stream.Emitter;
import streaminfer.stream.RecordProcessor;
import streaminfer.stream.state.InMemoryStores;

/**
 * One pipeline's record processor built exactly as {@link Engine} builds it (its models, batching,
 * device, threads, warm-up and family settings), but with no Kafka around it: state in memory, no
 * emitter. What the whole family pipeline (decode, preprocess, inference, postprocess, encode) can
 * do by itself, the in-process ceiling a benchmark holds the engine to.
 */
public final class OfflinePipeline implements AutoCloseable {
  private static final Emitter NO_EMITTER =
      new Emitter() {
        @Override
        public CompletionStage<Void> send(int partition, String topic, String key, byte[] value) {
          return CompletableFuture.completedFuture(null);
        }

        @Override
        public <T> CompletionStage<T> together(int partition, Supplier<CompletionStage<T>> sends) {
          return sends.get();
        }
      };

  private final List<BatchedModel> models;
  private final RecordProcessor processor;
  private final ExecutorService workers;
  private final LongAdder mainRows;
  private final InMemoryStores stores;

  private OfflinePipeline(
      List<BatchedModel> models,
      RecordProcessor processor,
      ExecutorService workers,
      LongAdder mainRows,
      InMemoryStores stores) {
    this.models = models;
    this.processor = processor;
    this.workers = workers;
    this.mainRows = mainRows;
    this.stores = stores;
  }

  /** Loads the pipeline's models and builds its processor; the pipeline is warmed up as served. */
  public static OfflinePipeline start(EngineSettings settings, PipelineSettings pipeline) {
    WriterSchemas schemas = WriterSchemas.v1();
    settings.schemasDir().ifPresent(directory -> Engine.loadSchemas(schemas, directory));
    ModelRepository repository = new ModelRepository(settings.modelsDir());
    LongAdder mainRows = new LongAdder();
    List<BatchedModel> loaded = new ArrayList<>();
    InMemoryStores stores = new InMemoryStores();
    ExecutorService workers = Engine.preprocessingPool();
    try {
      Map<String, BatchedModel> models =
          PipelineModels.load(
              repository,
              pipeline,
              version -> (size, nanos, failed) -> mainRows.add(size),
              (name, version) -> BatchListener.NONE,
              loaded);
      RecordProcessor processor =
          pipeline
              .family()
              .processor(
                  new FamilyContext(
                      pipeline.name(),
                      models,
                      schemas,
                      workers,
                      pipeline.inputTopic(),
                      pipeline.outputTopics(),
                      pipeline.maxInputAge(),
                      new SimpleMeterRegistry(),
                      Clock.systemUTC(),
                      stores,
                      NO_EMITTER));
      Engine.warmUp(settings, pipeline, processor);
      return new OfflinePipeline(loaded, processor, workers, mainRows, stores);
    } catch (RuntimeException e) {
      loaded.forEach(BatchedModel::close);
      workers.shutdownNow();
      throw e;
    }
  }

  /** Called from one thread at a time, as the engine's event loop calls it. */
  public RecordProcessor processor() {
    return processor;
  }

  /** The session of the family's main model (the first role), for a raw ORT run beside. */
  public ModelSession mainSession() {
    return models.get(0).session();
  }

  /**
   * Forgets every state entry, as a freshly started pipeline has none: a run that replays the same
   * keys (a game id) must not find the previous run's state (a finished game).
   */
  public void clearState() {
    stores.clear();
  }

  /** Rows the main model has run in batches so far (warm-up included). */
  public long mainModelRows() {
    return mainRows.sum();
  }

  @Override
  public void close() {
    processor.close();
    models.forEach(BatchedModel::close);
    workers.shutdown();
  }
}
