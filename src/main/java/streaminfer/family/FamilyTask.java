package streaminfer.family;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import streaminfer.runtime.Tensor;

/**
 * A model family's pre- and post-processing: a decoded input record to one row per named model
 * input (in the input's dtype), and the named output rows back to an output record. Knows nothing
 * of Kafka or batching.
 *
 * <p>Threading: {@link #toInputs} runs on the executor the module gives its pipeline for decoding:
 * the event loop itself for cheap inputs (it must then be cheap), {@link FamilyContext#workers} for
 * costly ones such as images; {@link #toOutput} runs on the inference worker thread.
 * Implementations are immutable.
 */
public interface FamilyTask<I, O> {
  /**
   * Validates and converts; throws {@link InvalidInputException} for a record the model can't take.
   */
  Map<String, Tensor> toInputs(I input);

  O toOutput(I input, Map<String, Tensor> outputs);

  /**
   * When the input stops being worth answering (live mode: its capture time plus the maximum age);
   * an input still waiting for its batch then is skipped, not run. Empty: never.
   */
  default Optional<Instant> staleAt(I input) {
    return Optional.empty();
  }
}
