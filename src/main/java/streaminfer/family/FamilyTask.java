package streaminfer.family;

import java.util.Map;
import streaminfer.runtime.Tensor;

/**
 * A model family's pre- and post-processing: a decoded input record to one row per named model
 * input (in the input's dtype), and the named output rows back to an output record. Knows nothing
 * of Kafka or batching.
 *
 * <p>Threading: {@link #toInputs} runs on the event loop and must be cheap; {@link #toOutput} runs
 * on the inference worker thread. Implementations are immutable.
 */
public interface FamilyTask<I, O> {
  /**
   * Validates and converts; throws {@link InvalidInputException} for a record the model can't take.
   */
  Map<String, Tensor> toInputs(I input);

  O toOutput(I input, Map<String, Tensor> outputs);
}
