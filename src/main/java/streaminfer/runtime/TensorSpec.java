package streaminfer.runtime;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A named tensor of a model's signature. A dimension of -1 is dynamic. In a batched model the first
 * dimension is the batch axis (or, for a {@link Ragged.RowIndex} output, the entries of the whole
 * batch); {@link ModelMetadata} checks that, since it depends on the model's {@link Batching}.
 */
public record TensorSpec(String name, DType dtype, long[] shape, Optional<Ragged> ragged) {
  public TensorSpec {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("tensor name is empty");
    }
    Objects.requireNonNull(dtype, () -> "tensor " + name + " has no dtype");
    if (Arrays.stream(shape).anyMatch(dimension -> dimension < -1)) {
      throw new IllegalArgumentException(
          "tensor " + name + " has shape " + Arrays.toString(shape) + "; -1 marks a dynamic one");
    }
    shape = shape.clone();
  }

  /** A tensor that is not ragged, with its dtype as model.json names it. */
  public TensorSpec(String name, String dtype, long[] shape) {
    this(name, DType.parse(dtype), shape, Optional.empty());
  }

  /** Number of values in one batch row: the product of the non-batch dimensions. */
  public int rowSize() {
    if (hasDynamicRow()) {
      throw new IllegalStateException("tensor " + name + " has a dynamic non-batch dimension");
    }
    long size = 1;
    for (int i = 1; i < shape.length; i++) {
      size *= shape[i];
    }
    return Math.toIntExact(size);
  }

  public boolean hasDynamicRow() {
    // Asked for every batch: a plain loop, not a stream pipeline.
    for (int i = 1; i < shape.length; i++) {
      if (shape[i] < 0) {
        return true;
      }
    }
    return false;
  }

  public boolean isRowIndexed() {
    return ragged.filter(Ragged.RowIndex.class::isInstance).isPresent();
  }

  /**
   * The shape a row of shape {@code given} takes in this tensor ({@code batchAxis}: without the
   * first dimension). A row of the right rank that fits keeps its shape; any other row is read as
   * flat values and shaped as declared, which needs at most one dynamic dimension to resolve.
   */
  long[] rowShape(long[] given, boolean batchAxis) {
    long[] dims = batchAxis ? Arrays.copyOfRange(shape, 1, shape.length) : shape.clone();
    if (given.length == dims.length && fits(given, dims)) {
      return given;
    }
    long values = 1;
    for (long dimension : given) {
      values *= dimension;
    }
    int dynamic = -1;
    long fixed = 1;
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] >= 0) {
        fixed *= dims[i];
      } else if (dynamic < 0) {
        dynamic = i;
      } else {
        throw new IllegalArgumentException(
            name + ": a row of shape " + Arrays.toString(given) + " does not fit " + this);
      }
    }
    boolean fill = dynamic < 0 ? values == fixed : values > 0 && values % fixed == 0;
    if (!fill) {
      throw new IllegalArgumentException(
          name + ": a row of " + values + " values does not fit " + this);
    }
    if (dynamic >= 0) {
      dims[dynamic] = values / fixed;
    }
    return dims;
  }

  private static boolean fits(long[] given, long[] dims) {
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] >= 0 && dims[i] != given[i]) {
        return false;
      }
    }
    return true;
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TensorSpec that
        && name.equals(that.name)
        && dtype == that.dtype
        && Arrays.equals(shape, that.shape)
        && ragged.equals(that.ragged);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, dtype, Arrays.hashCode(shape), ragged);
  }

  @Override
  public String toString() {
    return name
        + ":"
        + dtype
        + Arrays.toString(shape)
        + ragged.map(layout -> " ragged by " + layout.tensor()).orElse("");
  }
}
