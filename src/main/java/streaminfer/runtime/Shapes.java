package streaminfer.runtime;

import java.util.Arrays;

/** Arithmetic on concrete tensor shapes. */
final class Shapes {
  private Shapes() {}

  static long elements(long[] shape) {
    long product = 1;
    for (long dimension : shape) {
      product = Math.multiplyExact(product, dimension);
    }
    return product;
  }

  /** {@code shape} with a leading axis of {@code size}. */
  static long[] prepend(long size, long[] shape) {
    long[] result = new long[shape.length + 1];
    result[0] = size;
    System.arraycopy(shape, 0, result, 1, shape.length);
    return result;
  }

  /** {@code shape} without its first {@code axes} dimensions. */
  static long[] drop(int axes, long[] shape) {
    return Arrays.copyOfRange(shape, axes, shape.length);
  }
}
