package streaminfer.family.ssd.tools;

import java.util.ArrayList;
import java.util.List;
import streaminfer.source.SceneObject;
import streaminfer.v1.Detection;

/** Recall at an IoU bound: the share of true objects matched by a detection of the same label. */
public final class DetectionRecall {
  private final double minIou;
  private long objects;
  private long found;

  public DetectionRecall(double minIou) {
    this.minIou = minIou;
  }

  /** Greedy one-to-one matching within one frame, best overlap first per true object. */
  public void add(List<SceneObject> truth, List<Detection> detections) {
    List<Detection> unmatched = new ArrayList<>(detections);
    for (SceneObject object : truth) {
      objects++;
      Detection best = null;
      double bestIou = minIou;
      for (Detection detection : unmatched) {
        double iou = iou(object, detection);
        if (detection.getLabel().equals(object.label()) && iou >= bestIou) {
          best = detection;
          bestIou = iou;
        }
      }
      if (best != null) {
        unmatched.remove(best);
        found++;
      }
    }
  }

  public double recall() {
    return objects == 0 ? 0 : (double) found / objects;
  }

  public long objects() {
    return objects;
  }

  private static double iou(SceneObject a, Detection b) {
    double width = Math.min(a.xMax(), b.getXMax()) - Math.max(a.xMin(), b.getXMin());
    double height = Math.min(a.yMax(), b.getYMax()) - Math.max(a.yMin(), b.getYMin());
    if (width <= 0 || height <= 0) {
      return 0;
    }
    double intersection = width * height;
    double union =
        (a.xMax() - a.xMin()) * (a.yMax() - a.yMin())
            + (b.getXMax() - b.getXMin()) * (b.getYMax() - b.getYMin())
            - intersection;
    return intersection / union;
  }
}
