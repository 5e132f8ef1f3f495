package streaminfer.family;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import streaminfer.codec.WriterSchemas;
import streaminfer.pipeline.BatchedModel;
import streaminfer.pipeline.Viewers;
import streaminfer.stream.Emitter;
import streaminfer.stream.state.StateStores;

/**
 * What a family's processor is built from, for one pipeline.
 *
 * @param pipeline the pipeline's name (several pipelines may run one family)
 * @param models the loaded models by role ({@link ModelRole})
 * @param workers a pool for preprocessing too heavy for the event loop (image decoding)
 * @param inputTopic the topic the pipeline consumes
 * @param outputTopics the output topic of each role the family declares
 * @param maxInputAge live mode: inputs captured longer ago are skipped; empty serves every input
 * @param registry for meters of the family's own (beyond records, batches and latency)
 * @param stores the family's state, changelog-backed and restored by the stream layer: open them
 *     while building the processor
 * @param emitter outputs not caused by an input record (a timer's notices)
 * @param viewers who watches the pipeline's answers live (the dashboard): {@link Drawable} tasks'
 *     pictures go there
 */
public record FamilyContext(
    String pipeline,
    Map<String, BatchedModel> models,
    WriterSchemas schemas,
    Executor workers,
    String inputTopic,
    Map<String, String> outputTopics,
    Optional<Duration> maxInputAge,
    MeterRegistry registry,
    Clock clock,
    StateStores stores,
    Emitter emitter,
    Viewers viewers) {

  public FamilyContext {
    models = Map.copyOf(models);
    outputTopics = Map.copyOf(outputTopics);
  }

  /** A context nobody watches live (offline runs, benchmarks, tests). */
  public FamilyContext(
      String pipeline,
      Map<String, BatchedModel> models,
      WriterSchemas schemas,
      Executor workers,
      String inputTopic,
      Map<String, String> outputTopics,
      Optional<Duration> maxInputAge,
      MeterRegistry registry,
      Clock clock,
      StateStores stores,
      Emitter emitter) {
    this(
        pipeline,
        models,
        schemas,
        workers,
        inputTopic,
        outputTopics,
        maxInputAge,
        registry,
        clock,
        stores,
        emitter,
        Viewers.NONE);
  }

  public BatchedModel model(String role) {
    BatchedModel model = models.get(role);
    if (model == null) {
      throw new IllegalArgumentException(
          "pipeline " + pipeline + " loaded no model for role '" + role + "': " + models.keySet());
    }
    return model;
  }

  public String outputTopic(String role) {
    String topic = outputTopics.get(role);
    if (topic == null) {
      throw new IllegalArgumentException(
          "pipeline " + pipeline + " has no output topic '" + role + "': " + outputTopics.keySet());
    }
    return topic;
  }
}
