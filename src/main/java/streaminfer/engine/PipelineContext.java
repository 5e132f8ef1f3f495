package streaminfer.engine;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.Executor;
import streaminfer.codec.WriterSchemas;
import streaminfer.pipeline.BatchedModel;
import streaminfer.stream.StreamConfig;

/**
 * What a pipeline's processor is built from.
 *
 * @param models the loaded models by name, as the definition lists them
 * @param workers a pool for preprocessing too heavy for the event loop (image decoding)
 * @param stream the pipeline's topics and Kafka settings
 * @param registry for meters of the pipeline's own (beyond records, batches and latency)
 */
public record PipelineContext(
    PipelineDefinition definition,
    Map<String, BatchedModel> models,
    WriterSchemas schemas,
    Executor workers,
    EngineConfig config,
    StreamConfig stream,
    MeterRegistry registry) {

  public PipelineContext {
    models = Map.copyOf(models);
  }

  public BatchedModel model(String name) {
    BatchedModel model = models.get(name);
    if (model == null) {
      throw new IllegalArgumentException("pipeline " + definition.name() + " loaded no " + name);
    }
    return model;
  }

  public BatchedModel mainModel() {
    return model(definition.mainModel());
  }
}
