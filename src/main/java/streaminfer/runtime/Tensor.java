package streaminfer.runtime;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One row's value of one named tensor: a primitive array in the tensor's own dtype and the row's
 * shape (without the batch axis), so a ragged output says how many entries the row got.
 *
 * <p>The array is not copied: whoever builds a tensor hands the array over and does not change it
 * afterwards. The shape is copied in and out. Two tensors are equal only if they share the array;
 * compare the values to compare contents.
 */
public sealed interface Tensor {
  DType dtype();

  /** The row's dimensions; their product is the number of values. */
  long[] shape();

  /** Appends the values to {@code target} (native byte order), advancing its position. */
  void writeTo(ByteBuffer target);

  /** A flat float32 row; shaped as the model's tensor says when it is stacked. */
  static Float32 of(float... values) {
    return new Float32(values, new long[] {values.length});
  }

  static Int64 of(long... values) {
    return new Int64(values, new long[] {values.length});
  }

  static Int32 of(int... values) {
    return new Int32(values, new long[] {values.length});
  }

  static Bool of(boolean... values) {
    return new Bool(values, new long[] {values.length});
  }

  static UInt8 ofUnsigned(byte... values) {
    return new UInt8(values, new long[] {values.length});
  }

  default float[] floats() {
    return as(Float32.class, DType.FLOAT32).values();
  }

  default long[] longs() {
    return as(Int64.class, DType.INT64).values();
  }

  default int[] ints() {
    return as(Int32.class, DType.INT32).values();
  }

  /** The uint8 values as Java's signed bytes: {@code Byte.toUnsignedInt} reads them. */
  default byte[] unsignedBytes() {
    return as(UInt8.class, DType.UINT8).values();
  }

  default boolean[] booleans() {
    return as(Bool.class, DType.BOOL).values();
  }

  private <T extends Tensor> T as(Class<T> type, DType wanted) {
    if (!type.isInstance(this)) {
      throw new IllegalStateException("a " + dtype() + " tensor read as " + wanted);
    }
    return type.cast(this);
  }

  /** A copy of {@code shape}, checked to hold exactly {@code length} values. */
  private static long[] checked(int length, long[] shape) {
    long product = 1;
    for (long dimension : shape) {
      if (dimension < 0) {
        throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " is not concrete");
      }
      product *= dimension;
    }
    if (product != length) {
      throw new IllegalArgumentException(
          length + " values do not fill shape " + Arrays.toString(shape));
    }
    return shape.clone();
  }

  /** Moves {@code target} past values a typed view of it has just written. */
  private static void advance(ByteBuffer target, int values, DType dtype) {
    target.position(target.position() + values * dtype.bytes());
  }

  record Float32(float[] values, long[] shape) implements Tensor {
    public Float32 {
      shape = checked(values.length, shape);
    }

    static Tensor read(ByteBuffer data, long[] shape) {
      float[] values = new float[data.remaining() / Float.BYTES];
      data.asFloatBuffer().get(values);
      return new Float32(values, shape);
    }

    @Override
    public DType dtype() {
      return DType.FLOAT32;
    }

    @Override
    public long[] shape() {
      return shape.clone();
    }

    @Override
    public void writeTo(ByteBuffer target) {
      target.asFloatBuffer().put(values);
      advance(target, values.length, dtype());
    }
  }

  record Int64(long[] values, long[] shape) implements Tensor {
    public Int64 {
      shape = checked(values.length, shape);
    }

    static Tensor read(ByteBuffer data, long[] shape) {
      long[] values = new long[data.remaining() / Long.BYTES];
      data.asLongBuffer().get(values);
      return new Int64(values, shape);
    }

    @Override
    public DType dtype() {
      return DType.INT64;
    }

    @Override
    public long[] shape() {
      return shape.clone();
    }

    @Override
    public void writeTo(ByteBuffer target) {
      target.asLongBuffer().put(values);
      advance(target, values.length, dtype());
    }
  }

  record Int32(int[] values, long[] shape) implements Tensor {
    public Int32 {
      shape = checked(values.length, shape);
    }

    static Tensor read(ByteBuffer data, long[] shape) {
      int[] values = new int[data.remaining() / Integer.BYTES];
      data.asIntBuffer().get(values);
      return new Int32(values, shape);
    }

    @Override
    public DType dtype() {
      return DType.INT32;
    }

    @Override
    public long[] shape() {
      return shape.clone();
    }

    @Override
    public void writeTo(ByteBuffer target) {
      target.asIntBuffer().put(values);
      advance(target, values.length, dtype());
    }
  }

  record UInt8(byte[] values, long[] shape) implements Tensor {
    public UInt8 {
      shape = checked(values.length, shape);
    }

    static Tensor read(ByteBuffer data, long[] shape) {
      byte[] values = new byte[data.remaining()];
      data.get(values);
      return new UInt8(values, shape);
    }

    @Override
    public DType dtype() {
      return DType.UINT8;
    }

    @Override
    public long[] shape() {
      return shape.clone();
    }

    @Override
    public void writeTo(ByteBuffer target) {
      target.put(values);
    }
  }

  record Bool(boolean[] values, long[] shape) implements Tensor {
    public Bool {
      shape = checked(values.length, shape);
    }

    static Tensor read(ByteBuffer data, long[] shape) {
      boolean[] values = new boolean[data.remaining()];
      for (int i = 0; i < values.length; i++) {
        values[i] = data.get() != 0;
      }
      return new Bool(values, shape);
    }

    @Override
    public DType dtype() {
      return DType.BOOL;
    }

    @Override
    public long[] shape() {
      return shape.clone();
    }

    @Override
    public void writeTo(ByteBuffer target) {
      for (boolean value : values) {
        target.put((byte) (value ? 1 : 0));
      }
    }
  }
}
