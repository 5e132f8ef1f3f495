package streaminfer.runtime;

/**
 * How an output whose non-batch size varies per row is laid out, so it can be split back into rows.
 * Declared in model.json as {@code "ragged": {"counts": ...}} or {@code {"rowIndex": ...}}.
 */
public sealed interface Ragged {
  /** The other output this layout reads to split the rows. */
  String tensor();

  /**
   * Padded: the output is {@code [batch, maxN, ...]} and the integer output {@code counts} ({@code
   * [batch]}) says how many leading entries of each row are real; a row gets only those.
   */
  record Counts(String tensor) implements Ragged {
    public Counts {
      requireName(tensor);
    }
  }

  /**
   * Concatenated: the output is {@code [N, ...]} across the whole batch (no batch axis) and the
   * integer output {@code rowIndex} ({@code [N]}) names each entry's row; a row gets its entries in
   * their order. The index output itself is split the same way.
   */
  record RowIndex(String tensor) implements Ragged {
    public RowIndex {
      requireName(tensor);
    }
  }

  private static void requireName(String tensor) {
    if (tensor == null || tensor.isBlank()) {
      throw new IllegalArgumentException("a ragged layout names no tensor");
    }
  }
}
