package streaminfer.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits the outputs of one run back into rows, for every dtype alike: byte ranges of the batch are
 * cut per row (or gathered, for a row-indexed output) and read into the row's own array.
 */
final class RowSplitter {
  /** One output of a run: all its values as native-order bytes, and the shape ORT gave it. */
  record Batch(DType dtype, ByteBuffer bytes, long[] shape) {}

  private RowSplitter() {}

  /**
   * The outputs of each of {@code rows} rows, in row order. With {@code batchAxis} false the run
   * was of a single row, which gets every output whole.
   */
  static List<Map<String, Tensor>> split(
      List<TensorSpec> outputs, Map<String, Batch> batches, int rows, boolean batchAxis) {
    List<Map<String, Tensor>> split = new ArrayList<>(rows);
    for (int i = 0; i < rows; i++) {
      split.add(new HashMap<>());
    }
    for (TensorSpec spec : outputs) {
      Batch batch = batches.get(spec.name());
      if (!batchAxis) {
        split.get(0).put(spec.name(), batch.dtype().read(batch.bytes(), batch.shape()));
      } else if (spec.ragged().orElse(null) instanceof Ragged.Counts counts) {
        padded(spec, batch, integers(batches.get(counts.tensor()), rows), split);
      } else if (spec.ragged().orElse(null) instanceof Ragged.RowIndex index) {
        indexed(spec, batch, integers(batches.get(index.tensor()), -1), split);
      } else {
        requireRows(spec, batch, rows);
        long[] rowShape = Shapes.drop(1, batch.shape());
        int rowBytes = bytes(batch, rowShape);
        for (int i = 0; i < rows; i++) {
          split.get(i).put(spec.name(), read(batch, i * rowBytes, rowBytes, rowShape));
        }
      }
    }
    return split;
  }

  /** {@code [batch, maxN, ...]}: a row gets its first count entries. */
  private static void padded(
      TensorSpec spec, Batch batch, long[] counts, List<Map<String, Tensor>> split) {
    requireRows(spec, batch, split.size());
    long capacity = batch.shape()[1];
    long[] entryShape = Shapes.drop(2, batch.shape());
    int entryBytes = bytes(batch, entryShape);
    for (int i = 0; i < split.size(); i++) {
      if (counts[i] < 0 || counts[i] > capacity) {
        throw new InferenceException(
            "output " + spec.name() + ": row " + i + " counts " + counts[i] + " of " + capacity);
      }
      int start = Math.toIntExact(i * capacity * entryBytes);
      int length = Math.toIntExact(counts[i] * entryBytes);
      split
          .get(i)
          .put(spec.name(), read(batch, start, length, Shapes.prepend(counts[i], entryShape)));
    }
  }

  /** {@code [N, ...]} with each entry's row in {@code index}: a row gets its entries in order. */
  private static void indexed(
      TensorSpec spec, Batch batch, long[] index, List<Map<String, Tensor>> split) {
    if (batch.shape().length < 1 || batch.shape()[0] != index.length) {
      throw new InferenceException(
          "output "
              + spec.name()
              + " has "
              + batch.shape()[0]
              + " entries, its row index "
              + index.length);
    }
    long[] entryShape = Shapes.drop(1, batch.shape());
    int entryBytes = bytes(batch, entryShape);
    int[] entries = new int[split.size()];
    for (long row : index) {
      if (row < 0 || row >= split.size()) {
        throw new InferenceException(
            "output " + spec.name() + " names row " + row + " of a batch of " + split.size());
      }
      entries[(int) row]++;
    }
    ByteBuffer[] gathered = new ByteBuffer[split.size()];
    for (int i = 0; i < gathered.length; i++) {
      gathered[i] = ByteBuffer.allocate(entries[i] * entryBytes).order(ByteOrder.nativeOrder());
    }
    for (int j = 0; j < index.length; j++) {
      gathered[(int) index[j]].put(batch.bytes().slice(j * entryBytes, entryBytes));
    }
    for (int i = 0; i < gathered.length; i++) {
      split
          .get(i)
          .put(
              spec.name(),
              batch.dtype().read(gathered[i].flip(), Shapes.prepend(entries[i], entryShape)));
    }
  }

  private static void requireRows(TensorSpec spec, Batch batch, int rows) {
    if (batch.shape().length < 1 || batch.shape()[0] != rows) {
      throw new InferenceException(
          "output "
              + spec.name()
              + " has shape "
              + Arrays.toString(batch.shape())
              + " for a batch of "
              + rows
              + " rows");
    }
  }

  /** The values of an int64 or int32 vector output, checked to hold {@code expected} (-1: any). */
  private static long[] integers(Batch batch, int expected) {
    ByteBuffer bytes = batch.bytes().duplicate().order(ByteOrder.nativeOrder());
    long[] values = new long[bytes.remaining() / batch.dtype().bytes()];
    if (expected >= 0 && values.length != expected) {
      throw new InferenceException(
          "a ragged output's counts have " + values.length + " values for " + expected + " rows");
    }
    for (int i = 0; i < values.length; i++) {
      values[i] = batch.dtype() == DType.INT64 ? bytes.getLong() : bytes.getInt();
    }
    return values;
  }

  private static int bytes(Batch batch, long[] shape) {
    return Math.toIntExact(Shapes.elements(shape) * batch.dtype().bytes());
  }

  private static Tensor read(Batch batch, int start, int length, long[] shape) {
    return batch
        .dtype()
        .read(batch.bytes().slice(start, length).order(ByteOrder.nativeOrder()), shape);
  }
}
