package streaminfer.family.began.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import streaminfer.compare.Metric;
import streaminfer.compare.ResultComparator;
import streaminfer.compare.Side;
import streaminfer.compare.Tally;
import streaminfer.compare.Tolerances;
import streaminfer.v1.FrameScore;

/**
 * Compares two discriminators' anomaly scores of one frame (joined by stream id and frame seq): the
 * score difference, and anomaly flags that flipped.
 */
public final class ScoresComparator implements ResultComparator<FrameScore> {
  static final String SCORE_DIFF = "|score diff|";
  static final String CHANGED_SCORES = "changed scores";
  static final String CHANGED_FLAGS = "changed anomaly flags";
  static final String ANOMALY_RATE_A = "A anomaly rate";
  static final String ANOMALY_RATE_B = "B anomaly rate";

  @Override
  public Class<FrameScore> recordType() {
    return FrameScore.class;
  }

  @Override
  public String joinKey(FrameScore record) {
    return Long.toString(record.getSeq());
  }

  @Override
  public List<Metric> metrics() {
    return List.of(
        Metric.distribution(SCORE_DIFF, "absolute anomaly score difference"),
        Metric.count(CHANGED_SCORES, "scores differing by more than --max-abs-diff"),
        Metric.count(CHANGED_FLAGS, "frames one side flags as an anomaly and the other not"),
        Metric.rate(ANOMALY_RATE_A, "frames of A flagged, of those with a threshold"),
        Metric.rate(ANOMALY_RATE_B, "frames of B flagged, of those with a threshold"));
  }

  @Override
  public void observe(Side side, FrameScore record, SpecificRecord input, Tally tally) {
    if (record.getAnomaly() != null) {
      tally.rate(side == Side.A ? ANOMALY_RATE_A : ANOMALY_RATE_B, record.getAnomaly());
    }
  }

  @Override
  public List<String> compare(FrameScore a, FrameScore b, Tolerances tolerances, Tally tally) {
    List<String> changes = new ArrayList<>();
    tally.observe(SCORE_DIFF, Math.abs((double) a.getScore() - b.getScore()));
    if (tolerances.differ(a.getScore(), b.getScore())) {
      tally.count(CHANGED_SCORES, 1);
      changes.add(String.format(Locale.ROOT, "score %.6g -> %.6g", a.getScore(), b.getScore()));
    }
    if (!Objects.equals(a.getAnomaly(), b.getAnomaly())) {
      tally.count(CHANGED_FLAGS, 1);
      changes.add("anomaly " + a.getAnomaly() + " -> " + b.getAnomaly());
    }
    return changes;
  }
}
