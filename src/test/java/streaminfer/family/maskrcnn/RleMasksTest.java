package streaminfer.family.maskrcnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RleMasksTest {
  @Test
  void countsRunDownEachColumnAndStartWithARunOfZeros() {
    // 3 rows x 2 columns, row-major: column 0 top to bottom is 0 0 1, column 1 is 1 1 0.
    boolean[] mask = {false, true, false, true, true, false};
    assertArrayEquals(new int[] {2, 3, 1}, RleMasks.encode(mask, 3, 2));
  }

  @Test
  void aMaskStartingWithAnOnPixelGetsAnEmptyFirstRun() {
    assertArrayEquals(
        new int[] {0, 4}, RleMasks.encode(new boolean[] {true, true, true, true}, 2, 2));
    assertArrayEquals(new int[] {6}, RleMasks.encode(new boolean[6], 2, 3));
  }

  @Test
  void decodingByTheCocoRulesGivesBackTheEncodedMask() {
    Random random = new Random(7);
    for (int trial = 0; trial < 50; trial++) {
      int height = 1 + random.nextInt(9);
      int width = 1 + random.nextInt(9);
      boolean[] mask = new boolean[height * width];
      for (int i = 0; i < mask.length; i++) {
        mask[i] = random.nextFloat() < 0.4f;
      }
      List<Integer> counts = Arrays.stream(RleMasks.encode(mask, height, width)).boxed().toList();
      assertArrayEquals(mask, RleMasks.decode(counts, height, width));
    }
  }

  @Test
  void countsThatDoNotCoverTheFrameAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> RleMasks.decode(List.of(1, 2), 2, 2));
    assertThrows(IllegalStateException.class, () -> new RleMasks.Builder().run(false, 3).build(4));
  }

  @Test
  void iouCountsPixelsOfBothMasks() {
    boolean[] a = {true, true, false, false};
    boolean[] b = {false, true, true, false};
    assertEquals(1.0 / 3.0, RleMasks.iou(a, b), 1e-12);
    assertEquals(1.0, RleMasks.iou(new boolean[4], new boolean[4]));
  }
}
