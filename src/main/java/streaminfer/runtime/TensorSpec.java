package streaminfer.runtime;

import java.util.Arrays;

/**
 * A named tensor of a model's signature. A dimension of -1 is dynamic: the batch axis is always
 * dimension 0 and dynamic; at most one other dimension may be dynamic too (a token sequence's time
 * axis), its size then follows from the length of the rows.
 *
 * <p>Rows always travel as {@code float[]}: an {@code int64} input (token ids, category indices)
 * carries integer values, exact in float32 up to 2^24, and is converted when the batch is stacked.
 */
public record TensorSpec(String name, String dtype, long[] shape) {
  public static final String FLOAT32 = "float32";
  public static final String INT64 = "int64";

  public TensorSpec {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("tensor name is empty");
    }
    if (!FLOAT32.equals(dtype) && !INT64.equals(dtype)) {
      throw new IllegalArgumentException(
          "tensor " + name + " has dtype " + dtype + "; this runtime serves float32 and int64");
    }
    if (shape.length < 1 || shape[0] != -1) {
      throw new IllegalArgumentException(
          "tensor "
              + name
              + " has shape "
              + Arrays.toString(shape)
              + "; expected a dynamic batch axis first");
    }
    long dynamic = Arrays.stream(shape).skip(1).filter(dimension -> dimension < 0).count();
    if (dynamic > 1) {
      throw new IllegalArgumentException(
          "tensor "
              + name
              + " has shape "
              + Arrays.toString(shape)
              + "; at most one dimension besides the batch axis may be dynamic");
    }
    shape = shape.clone();
  }

  public boolean isInt64() {
    return INT64.equals(dtype);
  }

  /** Number of values in one batch row: the product of the non-batch dimensions. */
  public int rowSize() {
    if (hasDynamicRow()) {
      throw new IllegalStateException("tensor " + name + " has a dynamic non-batch dimension");
    }
    return staticRowSize();
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

  /**
   * The shape of a batch of {@code batch} rows of {@code rowLength} values each, the dynamic
   * non-batch dimension (if any) resolved from the row length.
   */
  public long[] batchShape(int batch, int rowLength) {
    int fixed = staticRowSize();
    long[] resolved = shape.clone();
    resolved[0] = batch;
    if (hasDynamicRow()) {
      if (rowLength == 0 || rowLength % fixed != 0) {
        throw new IllegalArgumentException(
            "tensor " + name + ": a row of " + rowLength + " values does not fit " + this);
      }
      for (int i = 1; i < resolved.length; i++) {
        if (resolved[i] < 0) {
          resolved[i] = rowLength / fixed;
        }
      }
    } else if (rowLength != fixed) {
      throw new IllegalArgumentException(
          "tensor " + name + " needs " + fixed + " values per row, got " + rowLength);
    }
    return resolved;
  }

  /** The product of the non-batch dimensions that are fixed. */
  private int staticRowSize() {
    long size = 1;
    for (int i = 1; i < shape.length; i++) {
      if (shape[i] >= 0) {
        size *= shape[i];
      }
    }
    return Math.toIntExact(size);
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TensorSpec that
        && name.equals(that.name)
        && dtype.equals(that.dtype)
        && Arrays.equals(shape, that.shape);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * name.hashCode() + dtype.hashCode()) + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + ":" + dtype + Arrays.toString(shape);
  }
}
