package streaminfer.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Batches are stacked into, and outputs written to, direct buffers each thread reuses: whatever
 * came before on a thread, and whatever runs beside it, a row's outputs are its own.
 */
class ModelSessionTest {
  private static final int ROWS = 24;

  @Test
  void givesEveryRowItsOwnOutputsWhateverBatchRanBeforeOnTheThread() {
    try (ModelSession session = shippedSsd()) {
      List<Map<String, Tensor>> rows = randomRows(session, ROWS, 3);
      List<Map<String, Tensor>> alone = new ArrayList<>();
      for (Map<String, Tensor> row : rows) {
        alone.add(session.runRows(List.of(row)).get(0));
      }
      // Large, then smaller, then large again: the staging buffers shrink their view and regrow.
      for (int[] split : new int[][] {{0, 16}, {16, 19}, {19, 24}, {0, 24}}) {
        List<Map<String, Tensor>> outputs = session.runRows(rows.subList(split[0], split[1]));
        assertEquals(split[1] - split[0], outputs.size());
        for (int i = split[0]; i < split[1]; i++) {
          assertSameOutputs(alone.get(i), outputs.get(i - split[0]), "row " + i);
        }
      }
    }
  }

  @Test
  void keepsTheBatchesOfTwoThreadsApart() throws Exception {
    try (ModelSession session = shippedSsd()) {
      List<Map<String, Tensor>> first = randomRows(session, 8, 5);
      List<Map<String, Tensor>> second = randomRows(session, 8, 7);
      List<Map<String, Tensor>> firstAlone = session.runRows(first);
      List<Map<String, Tensor>> secondAlone = session.runRows(second);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        for (int round = 0; round < 20; round++) {
          Future<List<Map<String, Tensor>>> a = pool.submit(() -> session.runRows(first));
          Future<List<Map<String, Tensor>>> b = pool.submit(() -> session.runRows(second));
          List<Map<String, Tensor>> fromA = a.get();
          List<Map<String, Tensor>> fromB = b.get();
          for (int i = 0; i < 8; i++) {
            assertSameOutputs(firstAlone.get(i), fromA.get(i), "first, row " + i);
            assertSameOutputs(secondAlone.get(i), fromB.get(i), "second, row " + i);
          }
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  private static void assertSameOutputs(
      Map<String, Tensor> expected, Map<String, Tensor> actual, String what) {
    assertEquals(expected.keySet(), actual.keySet(), what);
    // Batched and single rows may take different kernels: equal up to float rounding.
    expected.forEach(
        (name, values) ->
            assertArrayEquals(
                values.floats(), actual.get(name).floats(), 1e-4f, what + " " + name));
  }

  private static List<Map<String, Tensor>> randomRows(ModelSession session, int count, int seed) {
    TensorSpec input = session.metadata().inputs().get(0);
    SplittableRandom random = new SplittableRandom(seed);
    List<Map<String, Tensor>> rows = new ArrayList<>();
    for (int r = 0; r < count; r++) {
      float[] row = new float[input.rowSize()];
      for (int i = 0; i < row.length; i++) {
        row[i] = (float) random.nextDouble(-2, 2);
      }
      rows.add(Map.of(input.name(), Tensor.of(row)));
    }
    return rows;
  }

  private static ModelSession shippedSsd() {
    return new ModelRepository(Path.of("models"))
        .open("ssd", OptionalInt.empty(), DevicePolicy.CPU, SessionTuning.defaults());
  }
}
