package streaminfer.engine;

import java.util.concurrent.Executor;
import streaminfer.codec.WriterSchemas;
import streaminfer.pipeline.BatchedModel;
import streaminfer.stream.RecordProcessor;

/**
 * A pipeline the engine can serve: which model it runs, its default topics, and how to bind the
 * model family's codecs and task to a loaded model.
 */
public record PipelineDefinition(
    String name, String model, String inputTopic, String outputTopic, ProcessorFactory factory) {

  /** Builds the record processor of a pipeline once its model is loaded. */
  @FunctionalInterface
  public interface ProcessorFactory {
    /**
     * @param workers a pool for preprocessing too heavy for the event loop (image decoding)
     */
    RecordProcessor create(
        BatchedModel model, WriterSchemas schemas, Executor workers, EngineConfig config);
  }
}
