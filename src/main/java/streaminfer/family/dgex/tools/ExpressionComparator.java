package streaminfer.family.dgex.tools;

import java.util.List;
import java.util.Locale;
import streaminfer.compare.Metric;
import streaminfer.compare.ResultComparator;
import streaminfer.compare.Tally;
import streaminfer.compare.Tolerances;
import streaminfer.v1.GeneExpression;

/**
 * Compares two D-GEX models' inferred expression of one sample (joined by sample id), value by
 * value in the target order: absolute differences in the output's units (log2 expression).
 */
public final class ExpressionComparator implements ResultComparator<GeneExpression> {
  static final String ABS_DIFF = "|value diff|";
  static final String SAMPLE_MAX = "sample max |diff|";
  static final String CHANGED_VALUES = "changed values";
  static final String LENGTH_MISMATCH = "length mismatches";

  @Override
  public Class<GeneExpression> recordType() {
    return GeneExpression.class;
  }

  @Override
  public String joinKey(GeneExpression record) {
    return record.getSampleId();
  }

  @Override
  public List<Metric> metrics() {
    return List.of(
        Metric.distribution(
            ABS_DIFF, "absolute difference of every target gene's value, log2 expression"),
        Metric.distribution(SAMPLE_MAX, "largest absolute difference within a sample"),
        Metric.count(CHANGED_VALUES, "values differing by more than --max-abs-diff"),
        Metric.count(LENGTH_MISMATCH, "samples whose two results have different target counts"));
  }

  @Override
  public List<String> compare(
      GeneExpression a, GeneExpression b, Tolerances tolerances, Tally tally) {
    List<Float> x = a.getValues();
    List<Float> y = b.getValues();
    if (x.size() != y.size()) {
      tally.count(LENGTH_MISMATCH, 1);
      return List.of("target count " + x.size() + " -> " + y.size());
    }
    double max = 0;
    double sum = 0;
    int changed = 0;
    int worst = -1;
    for (int i = 0; i < x.size(); i++) {
      float u = x.get(i);
      float v = y.get(i);
      double diff = Math.abs((double) u - v);
      // Two NaNs are the same output; NaN against a number is as different as can be.
      if (Double.isNaN(diff)) {
        diff = Float.isNaN(u) && Float.isNaN(v) ? 0 : Double.POSITIVE_INFINITY;
      }
      tally.observe(ABS_DIFF, diff);
      sum += diff;
      if (tolerances.differ(u, v)) {
        changed++;
      }
      if (worst < 0 || diff > max) {
        max = diff;
        worst = i;
      }
    }
    tally.observe(SAMPLE_MAX, max);
    tally.count(CHANGED_VALUES, changed);
    if (changed == 0) {
      return List.of();
    }
    return List.of(
        String.format(
            Locale.ROOT,
            "%d of %d values differ: max |diff| %.6g (target %d: %.6g -> %.6g), mean |diff| %.6g",
            changed,
            x.size(),
            max,
            worst,
            x.get(worst),
            y.get(worst),
            sum / x.size()));
  }
}
