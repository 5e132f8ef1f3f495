package streaminfer.family.ssd.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import streaminfer.compare.Tally;
import streaminfer.compare.Tolerances;
import streaminfer.v1.Detection;
import streaminfer.v1.Detections;

class DetectionsComparatorTest {
  private final DetectionsComparator comparator = new DetectionsComparator();
  private final Tally tally = new Tally(comparator.metrics());

  private static Detection box(int classId, float score, float x0, float y0, float x1, float y1) {
    return new Detection(classId, "c" + classId, score, x0, y0, x1, y1);
  }

  private static Detections of(Detection... detections) {
    return new Detections("cam", 7L, 0L, "ssd", "1", List.of(detections));
  }

  private Map<String, Tally.MetricValue> metrics() {
    return tally.values().stream().collect(Collectors.toMap(v -> v.metric().name(), v -> v));
  }

  @Test
  void joinsOnTheFrameSeq() {
    assertEquals("7", comparator.joinKey(of()));
  }

  @Test
  void findsNoDifferenceBetweenEqualDetections() {
    Detections a = of(box(1, 0.9f, 0.1f, 0.1f, 0.3f, 0.3f), box(2, 0.4f, 0.5f, 0.5f, 0.9f, 0.9f));

    assertEquals(
        List.of(),
        comparator.compare(
            a, of(a.getDetections().toArray(Detection[]::new)), Tolerances.exact(), tally));
    assertEquals(2, metrics().get(DetectionsComparator.MATCHED).n());
    assertEquals(0.0, metrics().get(DetectionsComparator.SCORE_SHIFT).max());
  }

  @Test
  void reportsMissingNewAndChangedDetectionsWithTheirScores() {
    Detections a =
        of(
            box(1, 0.9f, 0.1f, 0.1f, 0.3f, 0.3f),
            box(2, 0.35f, 0.5f, 0.5f, 0.9f, 0.9f),
            box(3, 0.5f, 0.0f, 0.6f, 0.2f, 0.8f));
    Detections b =
        of(
            box(1, 0.8f, 0.11f, 0.1f, 0.31f, 0.3f),
            // Same box as A's class 2 but another class: not a match.
            box(3, 0.45f, 0.5f, 0.5f, 0.9f, 0.9f),
            box(3, 0.5f, 0.0f, 0.6f, 0.2f, 0.8f));

    List<String> changes = comparator.compare(a, b, Tolerances.exact(), tally);

    Map<String, Tally.MetricValue> m = metrics();
    assertEquals(2, m.get(DetectionsComparator.MATCHED).n());
    assertEquals(1, m.get(DetectionsComparator.CHANGED).n());
    assertEquals(1, m.get(DetectionsComparator.MISSING).n());
    assertEquals(1, m.get(DetectionsComparator.NEW).n());
    assertEquals(0.35, m.get(DetectionsComparator.MISSING_SCORE).max(), 1e-6);
    assertEquals(0.45, m.get(DetectionsComparator.NEW_SCORE).max(), 1e-6);
    assertEquals(0.1, m.get(DetectionsComparator.SCORE_SHIFT).max(), 1e-6);
    assertEquals(0.05, m.get(DetectionsComparator.SCORE_SHIFT).mean(), 1e-6);
    assertEquals(0.01, m.get(DetectionsComparator.BOX_SHIFT).max(), 1e-6);
    assertEquals(3, changes.size(), changes.toString());
    assertTrue(changes.get(0).startsWith("changed c1 score 0.9000 -> 0.8000"), changes.get(0));
    assertTrue(changes.get(1).startsWith("missing c2 0.3500"), changes.get(1));
    assertTrue(changes.get(2).startsWith("new c3 0.4500"), changes.get(2));
  }

  @Test
  void aShiftWithinTheToleranceIsNoChangeAndALowOverlapIsNoMatch() {
    Detections a = of(box(1, 0.9f, 0.1f, 0.1f, 0.3f, 0.3f));
    Detections b = of(box(1, 0.8999f, 0.1001f, 0.1f, 0.3f, 0.3f));
    Detections far = of(box(1, 0.9f, 0.2f, 0.1f, 0.4f, 0.3f));

    assertEquals(List.of(), comparator.compare(a, b, new Tolerances(1e-3, 0.5), tally));
    // IoU of a and far is 1/3: two objects at 0.5, one at 0.3.
    assertEquals(2, comparator.compare(a, far, new Tolerances(0, 0.5), tally).size());
    assertEquals(1, comparator.compare(a, far, new Tolerances(0, 0.3), tally).size());
  }
}
