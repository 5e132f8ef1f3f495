package streaminfer.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
  // Set once, by the repository before it hands the session out.
  private volatile WarmupReport warmup = WarmupReport.NONE;
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
   * Input rows of the real shapes to run this model on outside a pipeline (a raw ORT benchmark):
   * its golden inputs, else ones of the declared shapes, as its warm-up uses.
   */
  public List<Map<String, Tensor>> sampleRows() {
    return WarmupInputs.of(metadata, directory, ModelRepository.GRAPH_FILE).rows();
  }

  /** How the warm-up at load went; {@link WarmupReport#NONE} until (or without) one. */
  public WarmupReport warmup() {
    return warmup;
  }

  void warmedUp(WarmupReport report) {
    this.warmup = report;
  }

  /**
   * Runs the rows and returns each row's outputs, in the order of {@code rows}. A batched graph
   * runs once, on the rows stacked along the batch axis, and every output is split back (ragged
   * outputs as model.json lays them out); a graph without a batch axis runs once per row.
   */
  public List<Map<String, Tensor>> runRows(List<Map<String, Tensor>> rows) {
    if (metadata.batching() == Batching.BATCH) {
      return rows.isEmpty() ? List.of() : run(rows, true);
    }
    List<Map<String, Tensor>> outputs = new ArrayList<>(rows.size());
    for (Map<String, Tensor> row : rows) {
      outputs.addAll(run(List.of(row), false));
    }
    return outputs;
  }

  private List<Map<String, Tensor>> run(List<Map<String, Tensor>> rows, boolean batchAxis) {
    Map<String, OnnxTensor> inputs = new HashMap<>();
    Map<String, OnnxTensor> pinned = new HashMap<>();
    Map<String, RowSplitter.Batch> batches = new HashMap<>();
    try {
      for (TensorSpec spec : metadata.inputs()) {
        inputs.put(
            spec.name(),
            BatchStacker.stack(environment, spec, rows, batchAxis, stagedInputs.get()));
      }
      Set<String> returned = new HashSet<>();
      for (TensorSpec spec : metadata.outputs()) {
        long[] shape = fixedShape(spec, rows.size(), batchAxis);
        if (shape == null) {
          returned.add(spec.name());
        } else {
          int bytes = Math.toIntExact(Shapes.elements(shape) * spec.dtype().bytes());
          ByteBuffer values = stagedOutputs.get().take(spec.name(), bytes);
          pinned.put(
              spec.name(),
              OnnxTensor.createTensor(environment, values, shape, spec.dtype().onnxType()));
          batches.put(spec.name(), new RowSplitter.Batch(spec.dtype(), values, shape));
        }
      }
      try (OrtSession.Result result = session.run(inputs, returned, pinned)) {
        for (String name : returned) {
          batches.put(name, returned(metadata.output(name), result));
        }
        return RowSplitter.split(metadata.outputs(), batches, rows.size(), batchAxis);
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
   * The shape of an output whose size the run's inputs settle, which ORT then writes straight into
   * this thread's direct buffer instead of into memory it allocates and we copy; null when the
   * graph decides (a dynamic or row-indexed dimension).
   */
  private static long[] fixedShape(TensorSpec spec, int rows, boolean batchAxis) {
    long[] shape = spec.shape();
    if (batchAxis) {
      if (spec.isRowIndexed() || spec.hasDynamicRow()) {
        return null;
      }
      shape[0] = rows;
      return shape;
    }
    return Arrays.stream(shape).anyMatch(dimension -> dimension < 0) ? null : shape;
  }

  private static RowSplitter.Batch returned(TensorSpec spec, OrtSession.Result result)
      throws OrtException {
    OnnxValue value =
        result
            .get(spec.name())
            .orElseThrow(() -> new InferenceException("graph returned no output " + spec.name()));
    OnnxTensor tensor = (OnnxTensor) value;
    return new RowSplitter.Batch(
        spec.dtype(),
        tensor.getByteBuffer().order(ByteOrder.nativeOrder()),
        tensor.getInfo().getShape());
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
