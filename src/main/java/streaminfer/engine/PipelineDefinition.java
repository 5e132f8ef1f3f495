package streaminfer.engine;

import java.util.List;

/**
 * A pipeline the engine can serve: the models it runs (the first is its main model; a name {@code
 * <model>/<section>} is a second graph of that model version, see ModelRepository#openAuxiliary),
 * its default topics, and how to bind the model family's codecs and task to the loaded models.
 */
public record PipelineDefinition(
    String name,
    List<String> models,
    String inputTopic,
    String outputTopic,
    ProcessorFactory factory) {

  public PipelineDefinition {
    models = List.copyOf(models);
    if (models.isEmpty()) {
      throw new IllegalArgumentException("pipeline " + name + " runs no model");
    }
  }

  public String mainModel() {
    return models.get(0);
  }

  /** Builds the record processor of a pipeline once its models are loaded. */
  @FunctionalInterface
  public interface ProcessorFactory {
    streaminfer.stream.RecordProcessor create(PipelineContext context);
  }
}
