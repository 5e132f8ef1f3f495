package streaminfer.family.maskrcnn.tools;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import streaminfer.compare.BoxMatching;
import streaminfer.compare.Metric;
import streaminfer.compare.ResultComparator;
import streaminfer.compare.Side;
import streaminfer.compare.Tally;
import streaminfer.compare.Tolerances;
import streaminfer.family.maskrcnn.RleMasks;
import streaminfer.v1.Detection;
import streaminfer.v1.RleMask;
import streaminfer.v1.Segmentations;
import streaminfer.v1.SegmentedInstance;

/**
 * Compares two instance segmenters' Segmentations of one frame (joined by stream id and frame seq):
 * instances of one class are matched by mask IoU ({@link BoxMatching} over the decoded masks); a
 * match whose score or mask moved is changed, an instance of A without a match is missing, one of B
 * without a match is new.
 */
public final class SegmentationsComparator implements ResultComparator<Segmentations> {
  static final String MATCHED = "matched";
  static final String CHANGED = "changed";
  static final String MISSING = "missing";
  static final String NEW = "new";
  static final String SCORE_SHIFT = "|score shift|";
  static final String MASK_IOU = "mask IoU";
  static final String PER_FRAME_A = "A instances per frame";
  static final String PER_FRAME_B = "B instances per frame";

  @Override
  public Class<Segmentations> recordType() {
    return Segmentations.class;
  }

  @Override
  public String joinKey(Segmentations record) {
    return Long.toString(record.getSeq());
  }

  @Override
  public List<Metric> metrics() {
    return List.of(
        Metric.count(
            MATCHED, "instances of A matched to one of B (same class, mask IoU >= --match-iou)"),
        Metric.count(CHANGED, "matched instances whose score or mask moved"),
        Metric.count(MISSING, "instances of A with no match in B"),
        Metric.count(NEW, "instances of B with no match in A"),
        Metric.distribution(SCORE_SHIFT, "absolute score difference of matched instances"),
        Metric.distribution(MASK_IOU, "mask IoU of matched instances"),
        Metric.distribution(PER_FRAME_A, "instances per frame of A"),
        Metric.distribution(PER_FRAME_B, "instances per frame of B"));
  }

  @Override
  public void observe(Side side, Segmentations record, SpecificRecord input, Tally tally) {
    tally.observe(side == Side.A ? PER_FRAME_A : PER_FRAME_B, record.getInstances().size());
  }

  @Override
  public List<String> compare(
      Segmentations a, Segmentations b, Tolerances tolerances, Tally tally) {
    // Each mask is decoded once, however many candidates it is matched against.
    Map<SegmentedInstance, boolean[]> masks = new IdentityHashMap<>();
    BoxMatching.Matching<SegmentedInstance> matching =
        BoxMatching.match(
            a.getInstances(),
            b.getInstances(),
            (x, y) -> x.getDetection().getClassId() == y.getDetection().getClassId(),
            (x, y) -> maskIou(masks, x, y),
            tolerances.matchIou());
    List<String> changes = new ArrayList<>();
    for (BoxMatching.Match<SegmentedInstance> match : matching.matched()) {
      Detection x = match.a().getDetection();
      Detection y = match.b().getDetection();
      double iou = maskIou(masks, match.a(), match.b());
      tally.count(MATCHED, 1);
      tally.observe(SCORE_SHIFT, Math.abs(y.getScore() - x.getScore()));
      tally.observe(MASK_IOU, iou);
      if (tolerances.differ(x.getScore(), y.getScore()) || tolerances.differ(1.0, iou)) {
        tally.count(CHANGED, 1);
        changes.add(
            String.format(
                Locale.ROOT,
                "changed %s score %.4f -> %.4f, mask IoU %.4f",
                x.getLabel(),
                x.getScore(),
                y.getScore(),
                iou));
      }
    }
    for (SegmentedInstance x : matching.onlyInA()) {
      tally.count(MISSING, 1);
      changes.add("missing " + BoxMatching.describe(x.getDetection()));
    }
    for (SegmentedInstance y : matching.onlyInB()) {
      tally.count(NEW, 1);
      changes.add("new " + BoxMatching.describe(y.getDetection()));
    }
    return changes;
  }

  private static double maskIou(
      Map<SegmentedInstance, boolean[]> masks, SegmentedInstance x, SegmentedInstance y) {
    RleMask a = x.getMask();
    RleMask b = y.getMask();
    if (a.getHeight() != b.getHeight() || a.getWidth() != b.getWidth()) {
      return 0;
    }
    return RleMasks.iou(decoded(masks, x), decoded(masks, y));
  }

  private static boolean[] decoded(Map<SegmentedInstance, boolean[]> masks, SegmentedInstance i) {
    return masks.computeIfAbsent(
        i,
        instance ->
            RleMasks.decode(
                instance.getMask().getCounts(),
                instance.getMask().getHeight(),
                instance.getMask().getWidth()));
  }
}
