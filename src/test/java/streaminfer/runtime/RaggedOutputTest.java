package streaminfer.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Outputs whose size varies per row reach each row with only its own entries, and their shape. */
class RaggedOutputTest {
  @Test
  void aPaddedOutputGivesEachRowItsFirstCountEntries() {
    try (ModelSession session = TinyModels.open("padded")) {
      List<Map<String, Tensor>> outputs =
          session.runRows(List.of(candidates(0, 2), candidates(10, 0), candidates(20, 3)));
      assertArrayEquals(new float[] {0, 1, 2, 3}, outputs.get(0).get("detections").floats());
      assertArrayEquals(new long[] {2, 2}, outputs.get(0).get("detections").shape());
      assertArrayEquals(new float[] {}, outputs.get(1).get("detections").floats());
      assertArrayEquals(new long[] {0, 2}, outputs.get(1).get("detections").shape());
      assertArrayEquals(
          new float[] {20, 21, 22, 23, 24, 25}, outputs.get(2).get("detections").floats());
      assertArrayEquals(new long[] {3, 2}, outputs.get(2).get("detections").shape());
      assertArrayEquals(new long[] {3}, outputs.get(2).get("num_detections").longs());
    }
  }

  @Test
  void aPaddedOutputRefusesACountBeyondItsPadding() {
    try (ModelSession session = TinyModels.open("padded")) {
      InferenceException error =
          assertThrows(InferenceException.class, () -> session.runRows(List.of(candidates(0, 4))));
      assertTrue(error.getMessage().contains("detections"), error.getMessage());
    }
  }

  @Test
  void aRowIndexedOutputGivesEachRowItsEntriesInOrder() {
    try (ModelSession session = TinyModels.open("indexed")) {
      List<Map<String, Tensor>> outputs =
          session.runRows(
              List.of(scores(1, -1, 2), scores(-1, -1, -1), scores(0.5f, 3, -2), scores(0, 0, 7)));
      assertArrayEquals(new float[] {1, 2}, outputs.get(0).get("positive").floats());
      assertArrayEquals(new long[] {0, 2}, outputs.get(0).get("column").longs());
      assertArrayEquals(new float[] {}, outputs.get(1).get("positive").floats());
      assertArrayEquals(new long[] {0}, outputs.get(1).get("positive").shape());
      assertArrayEquals(new float[] {0.5f, 3}, outputs.get(2).get("positive").floats());
      assertArrayEquals(new long[] {0, 1}, outputs.get(2).get("column").longs());
      assertArrayEquals(new float[] {7}, outputs.get(3).get("positive").floats());
      assertArrayEquals(new long[] {3}, outputs.get(3).get("batch_index").longs());
    }
  }

  @Test
  void aBatchWhoseRowsAllHaveNoEntriesGivesEveryRowAnEmptyOutput() {
    try (ModelSession session = TinyModels.open("indexed")) {
      List<Map<String, Tensor>> outputs =
          session.runRows(List.of(scores(-1, -1, -1), scores(0, 0, 0)));
      for (Map<String, Tensor> row : outputs) {
        assertEquals(0, row.get("positive").floats().length);
        assertEquals(0, row.get("column").longs().length);
      }
    }
  }

  /** {@code count} real entries counting up from {@code first}, padded with -1 to three. */
  private static Map<String, Tensor> candidates(int first, long count) {
    float[] values = new float[6];
    for (int i = 0; i < values.length; i++) {
      values[i] = i < 2 * count ? first + i : -1;
    }
    return Map.of(
        "candidates", new Tensor.Float32(values, new long[] {3, 2}), "counts", Tensor.of(count));
  }

  private static Map<String, Tensor> scores(float... values) {
    return Map.of("scores", Tensor.of(values));
  }
}
