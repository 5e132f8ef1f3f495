package streaminfer.family.maskrcnn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import streaminfer.compare.Tally;
import streaminfer.compare.Tolerances;
import streaminfer.family.maskrcnn.RleMasks;
import streaminfer.v1.Detection;
import streaminfer.v1.RleMask;
import streaminfer.v1.Segmentations;
import streaminfer.v1.SegmentedInstance;

class SegmentationsComparatorTest {
  private static final int SIZE = 20;
  private final SegmentationsComparator comparator = new SegmentationsComparator();
  private final Tally tally = new Tally(comparator.metrics());

  /** A square mask of side {@code side} at (x, y) in a 20x20 frame. */
  private static SegmentedInstance square(int classId, float score, int x, int y, int side) {
    boolean[] mask = new boolean[SIZE * SIZE];
    for (int row = y; row < y + side; row++) {
      for (int col = x; col < x + side; col++) {
        mask[row * SIZE + col] = true;
      }
    }
    List<Integer> counts = new ArrayList<>();
    for (int count : RleMasks.encode(mask, SIZE, SIZE)) {
      counts.add(count);
    }
    Detection detection =
        new Detection(
            classId,
            "c" + classId,
            score,
            x / (float) SIZE,
            y / (float) SIZE,
            (x + side) / (float) SIZE,
            (y + side) / (float) SIZE);
    return new SegmentedInstance(detection, new RleMask(SIZE, SIZE, counts));
  }

  private static Segmentations of(SegmentedInstance... instances) {
    return new Segmentations("cam", 3L, 0L, "maskrcnn", "1", List.of(instances));
  }

  private Map<String, Tally.MetricValue> metrics() {
    return tally.values().stream().collect(Collectors.toMap(v -> v.metric().name(), v -> v));
  }

  @Test
  void findsNoDifferenceBetweenEqualSegmentations() {
    Segmentations a = of(square(1, 0.9f, 2, 2, 6), square(2, 0.6f, 10, 10, 8));
    assertEquals(
        List.of(),
        comparator.compare(
            a,
            of(square(1, 0.9f, 2, 2, 6), square(2, 0.6f, 10, 10, 8)),
            Tolerances.exact(),
            tally));
    assertEquals(2, metrics().get(SegmentationsComparator.MATCHED).n());
    assertEquals(1.0, metrics().get(SegmentationsComparator.MASK_IOU).min());
  }

  @Test
  void matchesInstancesByMaskAndReportsMovedMasksMissingAndNewOnes() {
    Segmentations a =
        of(square(1, 0.9f, 2, 2, 6), square(2, 0.6f, 10, 10, 8), square(3, 0.5f, 0, 14, 4));
    Segmentations b =
        of(
            // Class 1 moved one pixel right: IoU 30/42.
            square(1, 0.8f, 3, 2, 6),
            // Same place as A's class 2, another class: not a match.
            square(3, 0.7f, 10, 10, 8),
            square(3, 0.5f, 0, 14, 4));
    List<String> changes = comparator.compare(a, b, new Tolerances(1e-6, 0.5), tally);
    assertEquals(3, changes.size(), changes.toString());
    assertTrue(
        changes.get(0).startsWith("changed c1 score 0.9000 -> 0.8000, mask IoU 0.7143"),
        changes.get(0));
    assertTrue(changes.get(1).startsWith("missing c2"), changes.get(1));
    assertTrue(changes.get(2).startsWith("new c3 0.7000"), changes.get(2));
    assertEquals(2, metrics().get(SegmentationsComparator.MATCHED).n());
    assertEquals(1, metrics().get(SegmentationsComparator.CHANGED).n());
  }
}
