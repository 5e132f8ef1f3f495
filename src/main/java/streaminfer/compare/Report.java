package streaminfer.compare;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a {@link Comparison} found: per-side counts, the family's metrics, the first differences,
 * and whether that is within a CI run's {@link Thresholds}.
 *
 * @param family the family whose comparator judged the results
 * @param recordType the Avro record both topics hold
 * @param inputs what was read from {@code --inputs}; all zero without it
 * @param paired results found in both topics (each once)
 * @param differing paired results the family found a difference in
 * @param differences the first differing results, with what differs
 * @param onlyInAListed the first results only A holds
 * @param onlyInBListed the first results only B holds
 */
public record Report(
    String family,
    String recordType,
    SideSummary a,
    SideSummary b,
    InputSummary inputs,
    long paired,
    long differing,
    List<Tally.MetricValue> metrics,
    List<Difference> differences,
    List<ResultId> onlyInAListed,
    List<ResultId> onlyInBListed) {

  /**
   * One topic's part.
   *
   * @param records records read up to the end offsets taken at the start
   * @param duplicates records naming a result already read from this topic (not compared again)
   * @param unreadable records that do not decode as the compared record
   * @param onlyHere results this topic holds and the other does not
   */
  public record SideSummary(
      String topic, long records, long duplicates, long unreadable, long onlyHere) {}

  /**
   * The inputs read for judgements that need them.
   *
   * @param records records read
   * @param unreadable records that did not decode as the family's input
   * @param distinct inputs kept, one per result they answer
   */
  public record InputSummary(long records, long unreadable, long distinct) {}

  /** One paired result that differs, with one line per difference in the family's terms. */
  public record Difference(ResultId id, List<String> changes) {}

  /**
   * Results of one side only plus unreadable records: what {@link Thresholds#maxUnmatched} caps.
   */
  public long unmatched() {
    return a.onlyHere() + b.onlyHere() + a.unreadable() + b.unreadable();
  }

  /** Differing results as a fraction of the paired ones; 0 when none paired. */
  public double differingFraction() {
    return paired == 0 ? 0 : (double) differing / paired;
  }

  /** Why this report fails {@code thresholds}, one line each; empty when it passes. */
  public List<String> exceeded(Thresholds thresholds) {
    List<String> reasons = new ArrayList<>();
    if (paired < thresholds.minPaired()) {
      reasons.add(
          paired
              + " result(s) found in both topics, fewer than --min-paired "
              + thresholds.minPaired());
    }
    if (differingFraction() > thresholds.maxDifferingFraction()) {
      reasons.add(
          String.format(
              Locale.ROOT,
              "%d of %d paired results differ (%s), more than --max-differing-fraction %s",
              differing,
              paired,
              percent(differingFraction()),
              plain(thresholds.maxDifferingFraction())));
    }
    if (unmatched() > thresholds.maxUnmatched()) {
      reasons.add(
          String.format(
              Locale.ROOT,
              "%d result(s) only in A, %d only in B, %d unreadable: more than --max-unmatched %d",
              a.onlyHere(),
              b.onlyHere(),
              a.unreadable() + b.unreadable(),
              thresholds.maxUnmatched()));
    }
    return reasons;
  }

  /** The summary table, the first {@code rows} differences and the verdict. */
  public void print(PrintWriter out, Thresholds thresholds, int rows) {
    out.printf(
        Locale.ROOT,
        "compare  A: %s  B: %s  (family %s, %s)%n%n",
        a.topic(),
        b.topic(),
        family,
        recordType);
    String row = "  %-28s %12s %12s%n";
    out.printf(Locale.ROOT, row, "", "A", "B");
    out.printf(Locale.ROOT, row, "records read", a.records(), b.records());
    out.printf(Locale.ROOT, row, "duplicates", a.duplicates(), b.duplicates());
    out.printf(Locale.ROOT, row, "unreadable", a.unreadable(), b.unreadable());
    out.printf(Locale.ROOT, row, "only in this topic", a.onlyHere(), b.onlyHere());
    if (inputs.records() > 0) {
      out.printf(
          Locale.ROOT,
          "  %-28s %12d  (%d unreadable)%n",
          "inputs read",
          inputs.records(),
          inputs.unreadable());
    }
    out.printf(Locale.ROOT, "  %-28s %12d%n", "paired", paired);
    out.printf(
        Locale.ROOT,
        "  %-28s %12d  %s%n%n",
        "differing",
        differing,
        paired == 0 ? "" : "(" + percent(differingFraction()) + ")");
    out.printf(Locale.ROOT, "  %-28s %12s %12s %12s %12s%n", "metric", "n", "mean", "min", "max");
    for (Tally.MetricValue value : metrics) {
      switch (value.metric().kind()) {
        case COUNT -> out.printf(Locale.ROOT, "  %-28s %12d%n", value.metric().name(), value.n());
        case DISTRIBUTION ->
            out.printf(
                Locale.ROOT,
                "  %-28s %12d %12s %12s %12s%n",
                value.metric().name(),
                value.n(),
                number(value.mean()),
                number(value.min()),
                number(value.max()));
        case RATE ->
            out.printf(
                Locale.ROOT,
                "  %-28s %12s  %s%n",
                value.metric().name(),
                value.hits() + "/" + value.n(),
                value.n() == 0 ? "" : "(" + percent(value.fraction()) + ")");
      }
    }
    if (!differences.isEmpty() || !onlyInAListed.isEmpty() || !onlyInBListed.isEmpty()) {
      out.println();
    }
    int shown = 0;
    for (Difference difference : differences) {
      if (shown++ >= rows) {
        break;
      }
      out.printf(
          Locale.ROOT, "  %s: %s%n", difference.id(), String.join("; ", difference.changes()));
    }
    if (differing > Math.min(rows, differences.size())) {
      out.printf(
          Locale.ROOT,
          "  ... %d more differing result(s)%n",
          differing - Math.min(rows, differences.size()));
    }
    listOneSide(out, "only in A", onlyInAListed, a.onlyHere(), rows);
    listOneSide(out, "only in B", onlyInBListed, b.onlyHere(), rows);
    out.println();
    List<String> reasons = exceeded(thresholds);
    if (reasons.isEmpty()) {
      out.println("PASS: within the thresholds");
    } else {
      reasons.forEach(reason -> out.println("FAIL: " + reason));
    }
    out.flush();
  }

  private static void listOneSide(
      PrintWriter out, String label, List<ResultId> listed, long total, int rows) {
    if (total == 0) {
      return;
    }
    List<String> names = listed.stream().limit(rows).map(ResultId::toString).toList();
    out.printf(
        Locale.ROOT,
        "  %s: %s%s%n",
        label,
        String.join(", ", names),
        total > names.size() ? " ... (" + total + " in all)" : "");
  }

  /** The JSON report: everything above, every listed difference, and the verdict. */
  public ObjectNode toJson(Thresholds thresholds) {
    JsonNodeFactory json = JsonNodeFactory.instance;
    ObjectNode root = json.objectNode();
    root.put("family", family);
    root.put("recordType", recordType);
    root.set("a", side(a));
    root.set("b", side(b));
    root.putObject("inputs")
        .put("records", inputs.records())
        .put("unreadable", inputs.unreadable())
        .put("distinct", inputs.distinct());
    root.put("paired", paired);
    root.put("differing", differing);
    root.put("differingFraction", differingFraction());
    ObjectNode metricsNode = root.putObject("metrics");
    for (Tally.MetricValue value : metrics) {
      ObjectNode node = metricsNode.putObject(value.metric().name());
      node.put("kind", value.metric().kind().name().toLowerCase(Locale.ROOT));
      node.put("description", value.metric().description());
      node.put("n", value.n());
      switch (value.metric().kind()) {
        case COUNT -> {}
        case DISTRIBUTION -> {
          putNumber(node, "mean", value.mean());
          putNumber(node, "min", value.min());
          putNumber(node, "max", value.max());
        }
        case RATE -> {
          node.put("hits", value.hits());
          putNumber(node, "fraction", value.fraction());
        }
      }
    }
    ArrayNode differencesNode = root.putArray("differences");
    for (Difference difference : differences) {
      ObjectNode node = differencesNode.addObject();
      node.put("key", difference.id().key());
      node.put("joinKey", difference.id().joinKey());
      ArrayNode changes = node.putArray("changes");
      difference.changes().forEach(changes::add);
    }
    root.set("onlyInA", ids(onlyInAListed));
    root.set("onlyInB", ids(onlyInBListed));
    ObjectNode limits = root.putObject("thresholds");
    limits.put("maxDifferingFraction", thresholds.maxDifferingFraction());
    limits.put("maxUnmatched", thresholds.maxUnmatched());
    limits.put("minPaired", thresholds.minPaired());
    List<String> reasons = exceeded(thresholds);
    root.put("passed", reasons.isEmpty());
    ArrayNode exceededNode = root.putArray("exceeded");
    reasons.forEach(exceededNode::add);
    return root;
  }

  private static ObjectNode side(SideSummary side) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("topic", side.topic());
    node.put("records", side.records());
    node.put("duplicates", side.duplicates());
    node.put("unreadable", side.unreadable());
    node.put("onlyHere", side.onlyHere());
    return node;
  }

  private static ArrayNode ids(List<ResultId> ids) {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    for (ResultId id : ids) {
      array.addObject().put("key", id.key()).put("joinKey", id.joinKey());
    }
    return array;
  }

  private static void putNumber(ObjectNode node, String name, double value) {
    if (Double.isFinite(value)) {
      node.put(name, value);
    } else {
      node.putNull(name);
    }
  }

  private static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
  }

  private static String plain(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  private static String number(double value) {
    if (Double.isNaN(value)) {
      return "-";
    }
    return String.format(Locale.ROOT, "%.6g", value);
  }
}
