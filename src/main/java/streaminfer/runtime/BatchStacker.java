package streaminfer.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Stacks the rows of one input into the tensor a run takes, for every dtype alike: each row's
 * values are appended to one direct buffer the thread reuses, which ORT then reads in place.
 */
final class BatchStacker {
  private BatchStacker() {}

  /**
   * The batch tensor of {@code spec}: {@code [rows, ...row shape]}, or with {@code batchAxis} false
   * (a graph without one, run a row at a time) the single row's own shape. The caller closes it.
   */
  static OnnxTensor stack(
      OrtEnvironment environment,
      TensorSpec spec,
      List<Map<String, Tensor>> rows,
      boolean batchAxis,
      StagingBuffers staging)
      throws OrtException {
    long[] rowShape = null;
    for (Map<String, Tensor> row : rows) {
      long[] shape = rowShape(spec, row.get(spec.name()), batchAxis);
      if (rowShape != null && !Arrays.equals(shape, rowShape)) {
        throw new InferenceException(
            "input "
                + spec.name()
                + ": rows of one batch differ in shape ("
                + Arrays.toString(rowShape)
                + " and "
                + Arrays.toString(shape)
                + "); pad them to one shape");
      }
      rowShape = shape;
    }
    long[] shape = batchAxis ? Shapes.prepend(rows.size(), rowShape) : rowShape;
    int bytes = Math.toIntExact(Shapes.elements(shape) * spec.dtype().bytes());
    ByteBuffer buffer = staging.take(spec.name(), bytes);
    rows.forEach(row -> row.get(spec.name()).writeTo(buffer));
    return OnnxTensor.createTensor(environment, buffer.flip(), shape, spec.dtype().onnxType());
  }

  private static long[] rowShape(TensorSpec spec, Tensor value, boolean batchAxis) {
    if (value == null) {
      throw new InferenceException("input " + spec.name() + " is missing from a row");
    }
    if (value.dtype() != spec.dtype()) {
      throw new InferenceException(
          "input " + spec.name() + " is " + spec.dtype() + " but a row holds " + value.dtype());
    }
    try {
      return spec.rowShape(value.shape(), batchAxis);
    } catch (IllegalArgumentException e) {
      throw new InferenceException("input " + e.getMessage(), e);
    }
  }
}
