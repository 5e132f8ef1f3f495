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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
  // ORT reads a direct buffer in place and copies a heap one first; a batch is stacked straight
  // into direct memory reused by the thread (the tensor is closed before runRows returns).
  private final ThreadLocal<StagingBuffers> stagedInputs =
      ThreadLocal.withInitial(StagingBuffers::new);
  private final ThreadLocal<StagingBuffers> stagedOutputs =
      ThreadLocal.withInitial(StagingBuffers::new);

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
    Map<String, OnnxTensor> pinned = new HashMap<>();
    Map<String, FloatBuffer> pinnedValues = new HashMap<>();
    try {
      for (TensorSpec spec : metadata.inputs()) {
        inputs.put(spec.name(), stack(spec, rows));
      }
      Set<String> returned = new HashSet<>();
      for (TensorSpec spec : metadata.outputs()) {
        if (spec.hasDynamicRow()) {
          returned.add(spec.name());
        } else {
          FloatBuffer values = stagedOutputs.get().take(spec.name(), batch * spec.rowSize());
          pinnedValues.put(spec.name(), values);
          pinned.put(spec.name(), pin(spec, batch, values));
        }
      }
      try (OrtSession.Result result = session.run(inputs, returned, pinned)) {
        List<Map<String, float[]>> outputs = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
          outputs.add(new HashMap<>());
        }
        for (TensorSpec spec : metadata.outputs()) {
          FloatBuffer values = pinnedValues.get(spec.name());
          split(spec, values != null ? values : returned(spec, result), outputs);
        }
        return outputs;
      }
    } catch (OrtException e) {
      throw new InferenceException(
          metadata.name() + "/" + metadata.version() + ": ONNX Runtime failed: " + e.getMessage(),
          e);
    } finally {
      inputs.values().forEach(OnnxTensor::close);
      pinned.values().forEach(OnnxTensor::close);
    }
  }

  /**
   * An output of a known size written by ORT straight into {@code values}, this thread's direct
   * buffer, instead of into memory ORT allocates and {@code getFloatBuffer} then copies.
   */
  private OnnxTensor pin(TensorSpec spec, int batch, FloatBuffer values) throws OrtException {
    return OnnxTensor.createTensor(environment, values, spec.batchShape(batch, spec.rowSize()));
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

  private FloatBuffer stackFloat32(
      TensorSpec spec, List<Map<String, float[]>> rows, int rowLength) {
    FloatBuffer buffer = stagedInputs.get().take(spec.name(), rows.size() * rowLength);
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

  private static FloatBuffer returned(TensorSpec spec, OrtSession.Result result) {
    OnnxValue value =
        result
            .get(spec.name())
            .orElseThrow(() -> new InferenceException("graph returned no output " + spec.name()));
    return ((OnnxTensor) value).getFloatBuffer();
  }

  private static void split(
      TensorSpec spec, FloatBuffer values, List<Map<String, float[]>> outputs) {
    int rowLength = values.remaining() / outputs.size();
    if (rowLength * outputs.size() != values.remaining()
        || (!spec.hasDynamicRow() && rowLength != spec.rowSize())) {
      throw new InferenceException(
          "output "
              + spec.name()
              + " has "
              + values.remaining()
              + " values for "
              + outputs.size()
              + " rows of "
              + spec);
    }
    for (Map<String, float[]> row : outputs) {
      float[] rowValues = new float[rowLength];
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
