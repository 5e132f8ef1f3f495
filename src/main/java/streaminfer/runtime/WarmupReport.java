package streaminfer.runtime;

import java.time.Duration;

/**
 * What a model's warm-up did.
 *
 * @param batches batches run before the model served
 * @param inputs where their rows came from: the golden file's name, or "ones"
 * @param elapsed wall time of all of them
 */
public record WarmupReport(int batches, String inputs, Duration elapsed) {
  public static final WarmupReport NONE = new WarmupReport(0, "none", Duration.ZERO);
}
