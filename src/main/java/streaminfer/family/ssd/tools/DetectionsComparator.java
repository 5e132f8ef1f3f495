package streaminfer.family.ssd.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.avro.specific.SpecificRecord;
import streaminfer.compare.BoxMatching;
import streaminfer.compare.Metric;
import streaminfer.compare.ResultComparator;
import streaminfer.compare.Side;
import streaminfer.compare.Tally;
import streaminfer.compare.Tolerances;
import streaminfer.v1.Detection;
import streaminfer.v1.Detections;

/**
 * Compares two detectors' Detections of one frame (joined by stream id and frame seq): detections
 * of one class are matched by IoU ({@link BoxMatching}); a match whose score or box moved is
 * changed, a detection of A without a match is missing, one of B without a match is new.
 */
public final class DetectionsComparator implements ResultComparator<Detections> {
  static final String MATCHED = "matched";
  static final String CHANGED = "changed";
  static final String MISSING = "missing";
  static final String NEW = "new";
  static final String SCORE_SHIFT = "|score shift|";
  static final String BOX_SHIFT = "box shift";
  static final String MISSING_SCORE = "missing score";
  static final String NEW_SCORE = "new score";
  static final String PER_FRAME_A = "A detections per frame";
  static final String PER_FRAME_B = "B detections per frame";

  @Override
  public Class<Detections> recordType() {
    return Detections.class;
  }

  @Override
  public String joinKey(Detections record) {
    return Long.toString(record.getSeq());
  }

  @Override
  public List<Metric> metrics() {
    return List.of(
        Metric.count(
            MATCHED, "detections of A matched to one of B (same class, IoU >= --match-iou)"),
        Metric.count(CHANGED, "matched detections whose score or a box corner moved"),
        Metric.count(MISSING, "detections of A with no match in B"),
        Metric.count(NEW, "detections of B with no match in A"),
        Metric.distribution(SCORE_SHIFT, "absolute score difference of matched detections"),
        Metric.distribution(
            BOX_SHIFT, "largest corner difference of matched detections, fraction of the frame"),
        Metric.distribution(MISSING_SCORE, "score of each missing detection, in A"),
        Metric.distribution(NEW_SCORE, "score of each new detection, in B"),
        Metric.distribution(PER_FRAME_A, "detections per frame of A"),
        Metric.distribution(PER_FRAME_B, "detections per frame of B"));
  }

  @Override
  public void observe(Side side, Detections record, SpecificRecord input, Tally tally) {
    tally.observe(side == Side.A ? PER_FRAME_A : PER_FRAME_B, record.getDetections().size());
  }

  @Override
  public List<String> compare(Detections a, Detections b, Tolerances tolerances, Tally tally) {
    BoxMatching.Matching<Detection> matching =
        BoxMatching.match(
            a.getDetections(),
            b.getDetections(),
            (x, y) -> x.getClassId() == y.getClassId(),
            DetectionsComparator::iou,
            tolerances.matchIou());
    List<String> changes = new ArrayList<>();
    for (BoxMatching.Match<Detection> match : matching.matched()) {
      Detection x = match.a();
      Detection y = match.b();
      double scoreShift = Math.abs(y.getScore() - x.getScore());
      double boxShift =
          Math.max(
              Math.max(Math.abs(y.getXMin() - x.getXMin()), Math.abs(y.getYMin() - x.getYMin())),
              Math.max(Math.abs(y.getXMax() - x.getXMax()), Math.abs(y.getYMax() - x.getYMax())));
      tally.count(MATCHED, 1);
      tally.observe(SCORE_SHIFT, scoreShift);
      tally.observe(BOX_SHIFT, boxShift);
      boolean moved =
          tolerances.differ(x.getScore(), y.getScore())
              || tolerances.differ(x.getXMin(), y.getXMin())
              || tolerances.differ(x.getYMin(), y.getYMin())
              || tolerances.differ(x.getXMax(), y.getXMax())
              || tolerances.differ(x.getYMax(), y.getYMax());
      if (moved) {
        tally.count(CHANGED, 1);
        changes.add(
            String.format(
                Locale.ROOT,
                "changed %s score %.4f -> %.4f, box shift %.4f",
                x.getLabel(),
                x.getScore(),
                y.getScore(),
                boxShift));
      }
    }
    for (Detection x : matching.onlyInA()) {
      tally.count(MISSING, 1);
      tally.observe(MISSING_SCORE, x.getScore());
      changes.add("missing " + BoxMatching.describe(x));
    }
    for (Detection y : matching.onlyInB()) {
      tally.count(NEW, 1);
      tally.observe(NEW_SCORE, y.getScore());
      changes.add("new " + BoxMatching.describe(y));
    }
    return changes;
  }

  private static double iou(Detection x, Detection y) {
    return BoxMatching.iou(
        x.getXMin(),
        x.getYMin(),
        x.getXMax(),
        x.getYMax(),
        y.getXMin(),
        y.getYMin(),
        y.getXMax(),
        y.getYMax());
  }
}
