package streaminfer.family.began.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import streaminfer.compare.Side;
import streaminfer.compare.Tally;
import streaminfer.compare.Tolerances;
import streaminfer.v1.FrameScore;

class ScoresComparatorTest {
  private final ScoresComparator comparator = new ScoresComparator();
  private final Tally tally = new Tally(comparator.metrics());

  private static FrameScore score(float score, Boolean anomaly) {
    return new FrameScore("cam", 4L, 0L, "d", "1", score, anomaly == null ? null : 0.5f, anomaly);
  }

  private Map<String, Tally.MetricValue> metrics() {
    return tally.values().stream().collect(Collectors.toMap(v -> v.metric().name(), v -> v));
  }

  @Test
  void reportsScoreDifferencesAndFlippedAnomalyFlags() {
    assertEquals("4", comparator.joinKey(score(0.1f, null)));
    assertEquals(
        List.of(),
        comparator.compare(score(0.4f, false), score(0.4f, false), Tolerances.exact(), tally));
    assertEquals(
        List.of("score 0.400000 -> 0.600000", "anomaly false -> true"),
        comparator.compare(score(0.4f, false), score(0.6f, true), Tolerances.exact(), tally));
    assertEquals(
        List.of("anomaly false -> true"),
        comparator.compare(
            score(0.49f, false), score(0.51f, true), new Tolerances(0.05, 0.5), tally));
    assertEquals(2, metrics().get(ScoresComparator.CHANGED_FLAGS).n());
    assertEquals(0.2, metrics().get(ScoresComparator.SCORE_DIFF).max(), 1e-6);
  }

  @Test
  void ratesAnomaliesPerSideAmongScoresWithAThreshold() {
    comparator.observe(Side.A, score(0.6f, true), null, tally);
    comparator.observe(Side.A, score(0.1f, false), null, tally);
    comparator.observe(Side.A, score(0.1f, null), null, tally);
    comparator.observe(Side.B, score(0.1f, false), null, tally);

    assertEquals(0.5, metrics().get(ScoresComparator.ANOMALY_RATE_A).fraction());
    assertEquals(0.0, metrics().get(ScoresComparator.ANOMALY_RATE_B).fraction());
  }
}
