package streaminfer.runtime;

import java.util.Locale;

/** Whether a graph takes a batch axis; model.json {@code "batching"}, {@code batch} by default. */
public enum Batching {
  /** Every tensor's first dimension is the batch (or, for row-indexed outputs, the entries). */
  BATCH,
  /** The graph takes one row as it is; a batch of k rows is k runs (torchvision's detectors). */
  NONE;

  public static Batching parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown batching '" + text + "': expected batch or none", e);
    }
  }
}
