package streaminfer.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class BoxMatchingTest {
  private record Box(int kind, double x0, double y0, double x1, double y1) {}

  private static double iou(Box a, Box b) {
    return BoxMatching.iou(a.x0, a.y0, a.x1, a.y1, b.x0, b.y0, b.x1, b.y1);
  }

  private static BoxMatching.Matching<Box> match(List<Box> a, List<Box> b, double minIou) {
    return BoxMatching.match(a, b, (x, y) -> x.kind == y.kind, BoxMatchingTest::iou, minIou);
  }

  @Test
  void intersectionOverUnionOfOverlappingDisjointAndEqualBoxes() {
    assertEquals(1.0, BoxMatching.iou(0, 0, 1, 1, 0, 0, 1, 1), 1e-12);
    assertEquals(1.0 / 3, BoxMatching.iou(0, 0, 2, 1, 1, 0, 3, 1), 1e-12);
    assertEquals(0.0, BoxMatching.iou(0, 0, 1, 1, 2, 2, 3, 3), 1e-12);
    assertEquals(1.0, BoxMatching.iou(0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5), 1e-12);
    assertEquals(0.0, BoxMatching.iou(0.5, 0.5, 0.5, 0.5, 0.4, 0.5, 0.4, 0.5), 1e-12);
  }

  @Test
  void pairsTheBestOverlapFirstAndLeavesTheRestUnmatched() {
    Box a0 = new Box(1, 0, 0, 10, 10);
    Box a1 = new Box(1, 1, 0, 11, 10);
    Box b0 = new Box(1, 1, 0, 11, 10);
    // a0 overlaps b0 too (IoU 0.82), but a1 is b0 exactly, so a1 takes it and a0 is left.
    BoxMatching.Matching<Box> matching = match(List.of(a0, a1), List.of(b0), 0.5);

    assertEquals(1, matching.matched().size());
    assertEquals(a1, matching.matched().get(0).a());
    assertEquals(b0, matching.matched().get(0).b());
    assertEquals(List.of(a0), matching.onlyInA());
    assertEquals(List.of(), matching.onlyInB());
  }

  @Test
  void neverPairsObjectsOfDifferentKindsOrBelowTheMinimumOverlap() {
    Box cat = new Box(1, 0, 0, 10, 10);
    Box dog = new Box(2, 0, 0, 10, 10);
    Box farCat = new Box(1, 6, 0, 16, 10);

    BoxMatching.Matching<Box> matching = match(List.of(cat), List.of(dog, farCat), 0.5);

    assertEquals(List.of(), matching.matched());
    assertEquals(List.of(cat), matching.onlyInA());
    assertEquals(List.of(dog, farCat), matching.onlyInB());
    assertEquals(1, match(List.of(cat), List.of(farCat), 0.25).matched().size());
  }
}
