package streaminfer.stream;

import java.util.Arrays;
import java.util.List;

/** What a pipeline promises about its outputs when it fails and restarts. */
public enum Delivery {
  /**
   * Offsets are committed after the outputs are acknowledged: a crash between the two produces some
   * outputs again after the restart (byte-identical for a deterministic model).
   */
  AT_LEAST_ONCE("at-least-once"),
  /**
   * Outputs, dead letters, state writes and the input offsets they answer are committed in one
   * Kafka transaction: a {@code read_committed} consumer sees each input's outcome exactly once.
   */
  EXACTLY_ONCE("exactly-once");

  private final String configName;

  Delivery(String configName) {
    this.configName = configName;
  }

  /** The value of a pipeline's {@code delivery} key. */
  public String configName() {
    return configName;
  }

  public static List<String> configNames() {
    return Arrays.stream(values()).map(Delivery::configName).toList();
  }

  public static Delivery parse(String configName) {
    return Arrays.stream(values())
        .filter(delivery -> delivery.configName.equals(configName))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown delivery '" + configName + "'; one of " + configNames()));
  }
}
