package streaminfer.runtime;

import ai.onnxruntime.OnnxJavaType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.function.ObjDoubleConsumer;

/**
 * The element types the runtime serves, by their model.json names. Tensors travel between batch and
 * rows as native-order bytes; only {@link Tensor} reads and writes the primitive arrays.
 */
public enum DType {
  FLOAT32(OnnxJavaType.FLOAT, Tensor.Float32::read, (b, v) -> b.putFloat((float) v)),
  INT64(OnnxJavaType.INT64, Tensor.Int64::read, (b, v) -> b.putLong((long) v)),
  INT32(OnnxJavaType.INT32, Tensor.Int32::read, (b, v) -> b.putInt((int) v)),
  UINT8(OnnxJavaType.UINT8, Tensor.UInt8::read, (b, v) -> b.put((byte) v)),
  BOOL(OnnxJavaType.BOOL, Tensor.Bool::read, (b, v) -> b.put((byte) (v != 0 ? 1 : 0)));

  private final OnnxJavaType onnxType;
  private final BiFunction<ByteBuffer, long[], Tensor> reader;
  private final ObjDoubleConsumer<ByteBuffer> writer;

  DType(
      OnnxJavaType onnxType,
      BiFunction<ByteBuffer, long[], Tensor> reader,
      ObjDoubleConsumer<ByteBuffer> writer) {
    this.onnxType = onnxType;
    this.reader = reader;
    this.writer = writer;
  }

  /** The dtype named {@code text} in model.json ({@code float32}, {@code int64}, ...). */
  public static DType parse(String text) {
    for (DType dtype : values()) {
      if (dtype.label().equals(text)) {
        return dtype;
      }
    }
    throw new IllegalArgumentException(
        "dtype '"
            + text
            + "' is not served; expected one of "
            + Arrays.stream(values()).map(DType::label).toList());
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Bytes per element, as ORT lays them out (a bool is one byte). */
  public int bytes() {
    return onnxType.size;
  }

  OnnxJavaType onnxType() {
    return onnxType;
  }

  /** A row of {@code shape} from all the native-order bytes of {@code data}. */
  Tensor read(ByteBuffer data, long[] shape) {
    return reader.apply(data, shape);
  }

  /**
   * A row of {@code shape} holding {@code values} converted to this dtype (a bool is true when
   * non-zero): for warm-up inputs, which come as JSON numbers or as ones.
   */
  Tensor fromNumbers(double[] values, long[] shape) {
    ByteBuffer data = ByteBuffer.allocate(values.length * bytes()).order(ByteOrder.nativeOrder());
    for (double value : values) {
      writer.accept(data, value);
    }
    return read(data.flip(), shape);
  }

  @Override
  public String toString() {
    return label();
  }
}
