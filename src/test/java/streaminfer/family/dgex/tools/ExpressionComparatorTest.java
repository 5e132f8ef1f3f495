package streaminfer.family.dgex.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import streaminfer.compare.Tally;
import streaminfer.compare.Tolerances;
import streaminfer.v1.GeneExpression;

class ExpressionComparatorTest {
  private final ExpressionComparator comparator = new ExpressionComparator();
  private final Tally tally = new Tally(comparator.metrics());

  private static GeneExpression sample(Float... values) {
    return new GeneExpression("s1", "dgex", "1", List.of(values));
  }

  private Map<String, Tally.MetricValue> metrics() {
    return tally.values().stream().collect(Collectors.toMap(v -> v.metric().name(), v -> v));
  }

  @Test
  void reportsTheMaxAndMeanAbsoluteDifferenceOverEveryValue() {
    List<String> changes =
        comparator.compare(
            sample(1f, 2f, 3f, 4f), sample(1f, 2.5f, 2f, 4f), Tolerances.exact(), tally);

    assertEquals("s1", comparator.joinKey(sample()));
    Tally.MetricValue diff = metrics().get(ExpressionComparator.ABS_DIFF);
    assertEquals(4, diff.n());
    assertEquals(1.0, diff.max(), 1e-9);
    assertEquals(1.5 / 4, diff.mean(), 1e-9);
    assertEquals(2, metrics().get(ExpressionComparator.CHANGED_VALUES).n());
    assertEquals(1, changes.size());
    assertTrue(
        changes.get(0).startsWith("2 of 4 values differ: max |diff| 1.00000 (target 2"),
        changes.get(0));
  }

  @Test
  void valuesWithinTheToleranceAreEqualAndNaNEqualsOnlyNaN() {
    assertEquals(
        List.of(),
        comparator.compare(
            sample(1f, Float.NaN), sample(1.0001f, Float.NaN), new Tolerances(1e-3, 0.5), tally));
    assertEquals(
        1,
        comparator.compare(sample(1f), sample(Float.NaN), new Tolerances(1e-3, 0.5), tally).size());
  }

  @Test
  void aDifferentTargetCountIsOneDifference() {
    assertEquals(
        List.of("target count 2 -> 3"),
        comparator.compare(sample(1f, 2f), sample(1f, 2f, 3f), Tolerances.exact(), tally));
    assertEquals(1, metrics().get(ExpressionComparator.LENGTH_MISMATCH).n());
  }
}
