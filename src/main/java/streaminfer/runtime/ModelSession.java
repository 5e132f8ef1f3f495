package streaminfer.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One loaded model version: runs batches of rows (named input rows to named output rows).
 *
 * <p>Thread-safety: {@link OrtSession#run} may be called concurrently, so batches of one model may
 * run in parallel; every native tensor is closed before {@link #runRows} returns.
 */
public final class ModelSession implements AutoCloseable {
  private final OrtEnvironment environment;
  private final OrtSession session;
  private final ModelMetadata metadata;
  private final Path directory;
  private final Device device;
  private final Optional<String> fallbackReason;

  ModelSession(
      OrtEnvironment environment,
      OrtSession session,
      ModelMetadata metadata,
      Path directory,
      Device device,
      Optional<String> fallbackReason) {
    this.environment = environment;
    this.session = session;
    this.metadata = metadata;
    this.directory = directory;
    this.device = device;
    this.fallbackReason = fallbackReason;
  }

  public ModelMetadata metadata() {
    return metadata;
  }

  public Path directory() {
    return directory;
  }

  public Device device() {
    return device;
  }

  /** Why a GPU was wanted but not used; empty when the policy was met. */
  public Optional<String> fallbackReason() {
    return fallbackReason;
  }

  /**
   * Stacks the rows into one tensor per input (batch axis first), runs the graph once and splits
   * every output back into rows, in the order of {@code rows}.
   */
  public List<Map<String, float[]>> runRows(List<Map<String, float[]>> rows) {
    if (rows.isEmpty()) {
      return List.of();
    }
    int batch = rows.size();
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try {
      for (TensorSpec spec : metadata.inputs()) {
        inputs.put(spec.name(), stack(spec, rows));
      }
      try (OrtSession.Result result = session.run(inputs)) {
        List<Map<String, float[]>> outputs = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
          outputs.add(new HashMap<>());
        }
        for (TensorSpec spec : metadata.outputs()) {
          split(spec, result, outputs);
        }
        return outputs;
      }
    } catch (OrtException e) {
      throw new InferenceException(
          metadata.name() + "/" + metadata.version() + ": ONNX Runtime failed: " + e.getMessage(),
          e);
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  private OnnxTensor stack(TensorSpec spec, List<Map<String, float[]>> rows) throws OrtException {
    int rowLength = -1;
    for (Map<String, float[]> row : rows) {
      float[] values = row.get(spec.name());
      if (values == null) {
        throw new InferenceException("input " + spec.name() + " is missing from a row");
      }
      if (rowLength >= 0 && values.length != rowLength) {
        throw new InferenceException(
            "input "
                + spec.name()
                + ": rows of one batch differ in length ("
                + rowLength
                + " and "
                + values.length
                + "); pad them to one length");
      }
      rowLength = values.length;
    }
    long[] shape;
    try {
      shape = spec.batchShape(rows.size(), rowLength);
    } catch (IllegalArgumentException e) {
      throw new InferenceException("input " + e.getMessage(), e);
    }
    return spec.isInt64()
        ? OnnxTensor.createTensor(environment, stackInt64(spec, rows, rowLength), shape)
        : OnnxTensor.createTensor(environment, stackFloat32(spec, rows, rowLength), shape);
  }

  private static FloatBuffer stackFloat32(
      TensorSpec spec, List<Map<String, float[]>> rows, int rowLength) {
    FloatBuffer buffer = FloatBuffer.allocate(rows.size() * rowLength);
    rows.forEach(row -> buffer.put(row.get(spec.name())));
    return buffer.flip();
  }

  private static LongBuffer stackInt64(
      TensorSpec spec, List<Map<String, float[]>> rows, int rowLength) {
    LongBuffer buffer = LongBuffer.allocate(rows.size() * rowLength);
    for (Map<String, float[]> row : rows) {
      for (float value : row.get(spec.name())) {
        long integer = (long) value;
        if (integer != value) {
          throw new InferenceException(
              "input " + spec.name() + " is int64 but a row holds " + value);
        }
        buffer.put(integer);
      }
    }
    return buffer.flip();
  }

  private static void split(
      TensorSpec spec, OrtSession.Result result, List<Map<String, float[]>> outputs) {
    OnnxValue value =
        result
            .get(spec.name())
            .orElseThrow(() -> new InferenceException("graph returned no output " + spec.name()));
    FloatBuffer values = ((OnnxTensor) value).getFloatBuffer();
    int rowSize = spec.rowSize();
    if (values.remaining() != rowSize * outputs.size()) {
      throw new InferenceException(
          "output "
              + spec.name()
              + " has "
              + values.remaining()
              + " values for "
              + outputs.size()
              + " rows of "
              + rowSize);
    }
    for (Map<String, float[]> row : outputs) {
      float[] rowValues = new float[rowSize];
      values.get(rowValues);
      row.put(spec.name(), rowValues);
    }
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("closing the session of " + directory + " failed", e);
    }
  }
}
