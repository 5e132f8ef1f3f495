package streaminfer.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A graph without a batch axis serves a batch of rows a row at a time, each output whole. */
class UnbatchedModelTest {
  @Test
  void servesABatchOfRowsOfDifferentShapesOneRunEach() {
    try (ModelSession session = TinyModels.open("unbatched")) {
      assertEquals(Batching.NONE, session.metadata().batching());
      List<Map<String, Tensor>> outputs =
          session.runRows(List.of(image(new byte[] {1, 2, 3, 4, 5, 6}), image(new byte[] {7, 8})));
      assertEquals(2, outputs.size());
      Tensor first = outputs.get(0).get("points");
      assertArrayEquals(new long[] {3, 2}, first.shape());
      assertArrayEquals(new byte[] {1, 4, 2, 5, 3, 6}, first.unsignedBytes());
      assertArrayEquals(new long[] {2, 3}, outputs.get(0).get("size").longs());
      assertArrayEquals(new long[] {1, 2}, outputs.get(1).get("points").shape());
      assertArrayEquals(new long[] {2, 1}, outputs.get(1).get("size").longs());
    }
  }

  /** Two rows of pixels, as torchvision's detectors take one image without a batch axis. */
  private static Map<String, Tensor> image(byte[] pixels) {
    return Map.of("image", new Tensor.UInt8(pixels, new long[] {2, pixels.length / 2}));
  }
}
