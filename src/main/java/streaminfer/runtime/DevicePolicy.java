package streaminfer.runtime;

import java.util.Locale;

/** Where a model may run. */
public enum DevicePolicy {
  /** CUDA or fail at start: for deployments that must not silently run slow. */
  GPU,
  /** CUDA when the provider loads, else CPU; the fallback is logged, counted and reported. */
  PREFER_GPU,
  CPU;

  public static DevicePolicy parse(String text) {
    String normalized = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    try {
      return valueOf(normalized);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown device policy '" + text + "': expected gpu, prefer-gpu or cpu", e);
    }
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
