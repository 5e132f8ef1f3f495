package streaminfer.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import streaminfer.v1.ModelRef;

/**
 * The generic join on a stand-in result: a ModelRef whose model is the id and version the value.
 */
class ComparisonTest {
  /** Compares versions as numbers. */
  static class VersionComparator implements ResultComparator<ModelRef> {
    @Override
    public Class<ModelRef> recordType() {
      return ModelRef.class;
    }

    @Override
    public String joinKey(ModelRef record) {
      return record.getModel();
    }

    @Override
    public List<Metric> metrics() {
      return List.of(
          Metric.distribution("|diff|", "absolute difference"),
          Metric.rate("A even", "even values of A"));
    }

    @Override
    public void observe(Side side, ModelRef record, SpecificRecord input, Tally tally) {
      if (side == Side.A) {
        tally.rate("A even", Double.parseDouble(record.getModelVersion()) % 2 == 0);
      }
    }

    @Override
    public List<String> compare(ModelRef a, ModelRef b, Tolerances tolerances, Tally tally) {
      double x = Double.parseDouble(a.getModelVersion());
      double y = Double.parseDouble(b.getModelVersion());
      tally.observe("|diff|", Math.abs(x - y));
      return tolerances.differ(x, y) ? List.of(x + " -> " + y) : List.of();
    }
  }

  private static ModelRef result(String id, double value) {
    return new ModelRef(id, Double.toString(value));
  }

  private static Comparison<ModelRef> comparison(Tolerances tolerances) {
    return new Comparison<>("test", new VersionComparator(), tolerances, 100, "left", "right");
  }

  @Test
  void joinsByKeyAndJoinKeyAndCountsWhatOnlyOneSideHolds() {
    Comparison<ModelRef> comparison = comparison(Tolerances.exact());
    comparison.addA("k1", result("1", 2));
    comparison.addA("k1", result("2", 3));
    comparison.addA("k2", result("1", 4));
    comparison.addA("k3", result("1", 0));
    comparison.addB("k1", result("2", 3));
    comparison.addB("k2", result("1", 5));
    comparison.addB("k1", result("1", 2));
    comparison.addB("k9", result("1", 1));

    Report report = comparison.finish();

    assertEquals(3, report.paired());
    assertEquals(1, report.differing());
    assertEquals(
        List.of(new Report.Difference(new ResultId("k2", "1"), List.of("4.0 -> 5.0"))),
        report.differences());
    assertEquals(List.of(new ResultId("k3", "1")), report.onlyInAListed());
    assertEquals(List.of(new ResultId("k9", "1")), report.onlyInBListed());
    assertEquals(1, report.a().onlyHere());
    assertEquals(1, report.b().onlyHere());
    Tally.MetricValue diff = report.metrics().get(0);
    assertEquals(3, diff.n());
    assertEquals(1.0 / 3, diff.mean(), 1e-12);
    assertEquals(1.0, diff.max(), 1e-12);
    Tally.MetricValue even = report.metrics().get(1);
    assertEquals(3, even.hits());
    assertEquals(4, even.n());
  }

  @Test
  void comparesTheFirstOfARedeliveredResultAndCountsTheRestAsDuplicates() {
    Comparison<ModelRef> comparison = comparison(Tolerances.exact());
    comparison.addA("k", result("1", 1));
    comparison.addA("k", result("1", 7));
    comparison.addB("k", result("1", 1));
    comparison.addB("k", result("1", 9));

    Report report = comparison.finish();

    assertEquals(1, report.paired());
    assertEquals(0, report.differing());
    assertEquals(1, report.a().duplicates());
    assertEquals(1, report.b().duplicates());
    assertTrue(report.exceeded(Thresholds.none()).isEmpty());
  }

  @Test
  void numbersWithinTheToleranceAreEqual() {
    Comparison<ModelRef> comparison = comparison(new Tolerances(0.5, 0.5));
    comparison.addA("k", result("1", 1.0));
    comparison.addB("k", result("1", 1.25));

    assertEquals(0, comparison.finish().differing());
  }

  @Test
  void handsEachResultTheInputItAnswersWhenTheComparatorReadsThem() {
    List<String> seen = new java.util.ArrayList<>();
    VersionComparator withInputs =
        new VersionComparator() {
          @Override
          public Class<? extends SpecificRecord> inputType() {
            return ModelRef.class;
          }

          @Override
          public String inputJoinKey(SpecificRecord input) {
            return ((ModelRef) input).getModel();
          }

          @Override
          public void observe(Side side, ModelRef record, SpecificRecord input, Tally tally) {
            seen.add(
                side
                    + record.getModel()
                    + "<-"
                    + (input == null ? "none" : ((ModelRef) input).getModelVersion()));
          }
        };
    Comparison<ModelRef> comparison =
        new Comparison<>("test", withInputs, Tolerances.exact(), 10, "left", "right");
    comparison.addA("k", result("1", 1));
    comparison.addA("k", result("2", 1));
    comparison.addInput("k", new ModelRef("1", "input-1"));
    comparison.addB("k", result("1", 1));
    comparison.addB("k", result("3", 1));
    Report report = comparison.finish();

    assertEquals(List.of("B1<-input-1", "A1<-input-1", "B3<-none", "A2<-none"), seen);
    assertEquals(1, report.inputs().records());
    assertThrows(IllegalStateException.class, () -> comparison.addInput("k", result("9", 9)));
  }

  @Test
  void refusesARecordOfAOnceBHasStarted() {
    Comparison<ModelRef> comparison = comparison(Tolerances.exact());
    comparison.addB("k", result("1", 1));

    assertThrows(IllegalStateException.class, () -> comparison.addA("k", result("1", 1)));
  }

  @Test
  void failsOnAnyDifferenceByDefaultAndWithinTheGivenThresholdsPasses() {
    Comparison<ModelRef> comparison = comparison(Tolerances.exact());
    for (int i = 0; i < 10; i++) {
      comparison.addA("k", result(Integer.toString(i), i));
    }
    comparison.unreadable(Side.A);
    for (int i = 0; i < 10; i++) {
      comparison.addB("k", result(Integer.toString(i), i == 3 ? 30 : i));
    }
    Report report = comparison.finish();

    List<String> reasons = report.exceeded(Thresholds.none());
    assertEquals(2, reasons.size(), reasons.toString());
    assertTrue(reasons.get(0).startsWith("1 of 10 paired results differ (10.0%)"), reasons.get(0));
    assertTrue(reasons.get(1).contains("1 unreadable"), reasons.get(1));
    assertEquals(List.of(), report.exceeded(new Thresholds(0.1, 1, 1)));
    assertEquals(1, report.exceeded(new Thresholds(0.1, 1, 11)).size());
  }

  @Test
  void twoEmptyTopicsFailUnlessNoPairIsAskedFor() {
    Report report = comparison(Tolerances.exact()).finish();

    assertEquals(1, report.exceeded(Thresholds.none()).size());
    assertEquals(List.of(), report.exceeded(new Thresholds(0, 0, 0)));
  }

  @Test
  void printsATableAndWritesTheSameFindingsAsJson() {
    Comparison<ModelRef> comparison = comparison(Tolerances.exact());
    comparison.addA("k", result("1", 1));
    comparison.addB("k", result("1", 2));
    Report report = comparison.finish();

    StringWriter text = new StringWriter();
    report.print(new PrintWriter(text), Thresholds.none(), 10);
    JsonNode json = report.toJson(Thresholds.none());

    assertTrue(text.toString().contains("k #1: 1.0 -> 2.0"), text.toString());
    assertTrue(text.toString().contains("FAIL: 1 of 1 paired results differ"), text.toString());
    assertEquals("test", json.path("family").asText());
    assertEquals("left", json.path("a").path("topic").asText());
    assertEquals(1, json.path("differing").asInt());
    assertEquals(1.0, json.path("metrics").path("|diff|").path("max").asDouble(), 1e-12);
    assertEquals(1, json.path("metrics").path("A even").path("n").asInt());
    assertEquals("k", json.path("differences").get(0).path("key").asText());
    assertEquals("1.0 -> 2.0", json.path("differences").get(0).path("changes").get(0).asText());
    assertFalse(json.path("passed").asBoolean());
  }
}
