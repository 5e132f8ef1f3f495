package streaminfer.runtime;

import java.util.Arrays;

/**
 * A named tensor of a model's signature. A dimension of -1 is dynamic (the batch axis is always
 * dimension 0 and dynamic).
 */
public record TensorSpec(String name, String dtype, long[] shape) {
  public TensorSpec {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("tensor name is empty");
    }
    if (!"float32".equals(dtype)) {
      throw new IllegalArgumentException(
          "tensor " + name + " has dtype " + dtype + "; this runtime serves float32 tensors");
    }
    if (shape.length < 2 || shape[0] != -1) {
      throw new IllegalArgumentException(
          "tensor "
              + name
              + " has shape "
              + Arrays.toString(shape)
              + "; expected a dynamic batch axis first");
    }
    shape = shape.clone();
  }

  /** Number of values in one batch row: the product of the non-batch dimensions. */
  public int rowSize() {
    long size = 1;
    for (int i = 1; i < shape.length; i++) {
      if (shape[i] < 0) {
        throw new IllegalStateException("tensor " + name + " has a dynamic non-batch dimension");
      }
      size *= shape[i];
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
