package streaminfer.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rows carry their tensor's own dtype through a run, in and out, for every dtype served. */
class TypedTensorTest {
  @Test
  void everyDtypeRoundTripsThroughABatchUnchanged() {
    try (ModelSession session = TinyModels.open("typed")) {
      List<Map<String, Tensor>> outputs = session.runRows(List.of(row(0), row(1)));
      for (int r = 0; r < 2; r++) {
        Map<String, Tensor> expected = row(r);
        Map<String, Tensor> actual = outputs.get(r);
        assertArrayEquals(expected.get("float32_in").floats(), actual.get("float32_out").floats());
        assertArrayEquals(expected.get("int64_in").longs(), actual.get("int64_out").longs());
        assertArrayEquals(expected.get("int32_in").ints(), actual.get("int32_out").ints());
        assertArrayEquals(
            expected.get("uint8_in").unsignedBytes(), actual.get("uint8_out").unsignedBytes());
        assertArrayEquals(expected.get("bool_in").booleans(), actual.get("bool_out").booleans());
        for (Tensor value : actual.values()) {
          assertArrayEquals(new long[] {2}, value.shape());
        }
      }
    }
  }

  @Test
  void int64ValuesBeyondFloat32PrecisionSurvive() {
    try (ModelSession session = TinyModels.open("typed")) {
      Map<String, Tensor> row = new java.util.HashMap<>(row(0));
      row.put("int64_in", Tensor.of((1L << 53) + 1, -7L));
      long[] out = session.runRows(List.of(row)).get(0).get("int64_out").longs();
      assertArrayEquals(new long[] {(1L << 53) + 1, -7L}, out);
    }
  }

  @Test
  void refusesARowWhoseDtypeIsNotTheInputs() {
    try (ModelSession session = TinyModels.open("typed")) {
      Map<String, Tensor> row = new java.util.HashMap<>(row(0));
      row.put("int64_in", Tensor.of(1f, 2f));
      InferenceException error =
          assertThrows(InferenceException.class, () -> session.runRows(List.of(row)));
      assertTrue(error.getMessage().contains("int64_in is int64"), error.getMessage());
      assertTrue(error.getMessage().contains("holds float32"), error.getMessage());
    }
  }

  @Test
  void readingATensorAsAnotherDtypeSaysWhichItIs() {
    IllegalStateException error =
        assertThrows(IllegalStateException.class, () -> Tensor.of(1L).floats());
    assertEquals("a int64 tensor read as float32", error.getMessage());
  }

  /** Distinct values per row and dtype, with uint8 above 127 and both booleans. */
  private static Map<String, Tensor> row(int r) {
    return Map.of(
        "float32_in", Tensor.of(1.5f + r, -2.25f),
        "int64_in", Tensor.of(3_000_000_000L + r, -4L),
        "int32_in", Tensor.of(-5 - r, 6),
        "uint8_in", Tensor.ofUnsigned((byte) 200, (byte) r),
        "bool_in", Tensor.of(r == 0, true));
  }
}
