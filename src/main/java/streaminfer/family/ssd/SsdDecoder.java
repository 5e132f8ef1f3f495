package streaminfer.family.ssd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import streaminfer.runtime.ModelMetadata;

/**
 * SSD post-processing of one image: raw box offsets and class logits per prior to scored,
 * non-max-suppressed boxes.
 *
 * <p>Equivalent to the trainer's reference (decode all boxes, softmax, per class threshold and
 * greedy NMS, top-k over classes, then drop below {@code outputThreshold}) but cheaper: a prior
 * whose logit gap to the row maximum already bounds its softmax score below the threshold costs no
 * {@code exp}; only candidate priors have their box decoded; and since greedy NMS only lets a box
 * be suppressed by a higher-scored one, candidates below {@code outputThreshold} can never change
 * the published result and are dropped before the sort. One primitive sort over all candidates,
 * keyed (score desc, class, prior), orders both the per-class NMS and the final top-k, so the scan
 * stops at the k-th kept box.
 *
 * <p>Thread-safe: the configuration is immutable and scratch arrays are per thread.
 */
public final class SsdDecoder {
  // Slack under log(threshold) for the exp-free pre-check, so float rounding in the gap never
  // rejects a prior whose exact softmax score passes; the exact check follows.
  private static final float LOG_SLACK = 1e-3f;

  private final float[] priors;
  private final int priorCount;
  private final int classCount;
  private final float variance0;
  private final float variance1;
  private final SsdPostprocessing postprocessing;
  private final List<String> labels;
  // Candidates must pass both: score > scoreThreshold and score >= outputThreshold.
  private final float logBound;
  private final ThreadLocal<Scratch> scratch;

  /**
   * @param priors {@code [cx, cy, w, h]} per prior, normalized, flattened (length 4 * P)
   * @param variances {@code [v0, v1]}: centre and size scaling of the offsets
   * @param labels class names; label {@code i} is logit column {@code i + 1}
   */
  public SsdDecoder(
      float[] priors, float[] variances, List<String> labels, SsdPostprocessing postprocessing) {
    if (priors.length == 0 || priors.length % 4 != 0) {
      throw new IllegalArgumentException(
          "priors must be [cx, cy, w, h] rows; got " + priors.length + " values");
    }
    for (int p = 0; p < priors.length / 4; p++) {
      float w = priors[4 * p + 2];
      float h = priors[4 * p + 3];
      if (!(w > 0f && h > 0f && Float.isFinite(priors[4 * p]) && Float.isFinite(priors[4 * p + 1]))
          || !Float.isFinite(w)
          || !Float.isFinite(h)) {
        throw new IllegalArgumentException(
            "prior "
                + p
                + " is not a finite box of positive size: "
                + Arrays.toString(Arrays.copyOfRange(priors, 4 * p, 4 * p + 4)));
      }
    }
    if (variances.length != 2 || !(variances[0] > 0f) || !(variances[1] > 0f)) {
      throw new IllegalArgumentException(
          "variances must be two positive numbers, not " + Arrays.toString(variances));
    }
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("an SSD model needs at least one label");
    }
    this.priors = priors.clone();
    this.priorCount = priors.length / 4;
    this.classCount = labels.size();
    this.variance0 = variances[0];
    this.variance1 = variances[1];
    this.postprocessing = postprocessing;
    this.labels = List.copyOf(labels);
    float minScore = Math.max(postprocessing.scoreThreshold(), postprocessing.outputThreshold());
    this.logBound =
        minScore > 0f ? (float) Math.log(minScore) - LOG_SLACK : Float.NEGATIVE_INFINITY;
    // class * P + prior must fit the 32 low bits of a sort key.
    if ((long) classCount * priorCount > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(classCount + " classes x " + priorCount + " priors");
    }
    int p = priorCount;
    int classes = classCount;
    int topK = Math.min(postprocessing.topK(), priorCount);
    this.scratch = ThreadLocal.withInitial(() -> new Scratch(p, classes, topK));
  }

  /**
   * Reads {@code priors}, {@code variances}, {@code labels} and {@code postprocessing} from a
   * model's {@code model.json}; checks them against the {@code boxes} and {@code logits} outputs.
   */
  public static SsdDecoder fromMetadata(ModelMetadata metadata) {
    return fromMetadata(metadata, null);
  }

  /** As {@link #fromMetadata(ModelMetadata)}, overriding the thresholds when not null. */
  public static SsdDecoder fromMetadata(ModelMetadata metadata, SsdPostprocessing override) {
    JsonNode document = metadata.document();
    JsonNode priorRows = required(metadata, "priors");
    float[] priors = new float[4 * priorRows.size()];
    for (int p = 0; p < priorRows.size(); p++) {
      JsonNode row = priorRows.get(p);
      if (row.size() != 4) {
        throw new IllegalArgumentException(
            metadata.name() + ": prior " + p + " has " + row.size() + " values, not 4");
      }
      for (int i = 0; i < 4; i++) {
        priors[4 * p + i] = (float) row.get(i).asDouble();
      }
    }
    JsonNode varianceNode = required(metadata, "variances");
    float[] variances = new float[varianceNode.size()];
    for (int i = 0; i < variances.length; i++) {
      variances[i] = (float) varianceNode.get(i).asDouble();
    }
    List<String> labels = new ArrayList<>();
    required(metadata, "labels").forEach(label -> labels.add(label.asText()));
    SsdPostprocessing postprocessing =
        override != null ? override : SsdPostprocessing.fromJson(document.path("postprocessing"));
    SsdDecoder decoder = new SsdDecoder(priors, variances, labels, postprocessing);
    decoder.checkOutput(metadata, "boxes", 4);
    decoder.checkOutput(metadata, "logits", 1 + labels.size());
    return decoder;
  }

  public int priorCount() {
    return priorCount;
  }

  public List<String> labels() {
    return labels;
  }

  public SsdPostprocessing postprocessing() {
    return postprocessing;
  }

  /** Decodes one image's rows: {@code boxes} P x 4 offsets, {@code logits} P x (1 + C). */
  public List<Box> decode(float[] boxes, float[] logits) {
    return decode(boxes, 0, logits, 0);
  }

  /**
   * Decodes one image whose rows start at the given offsets, e.g. image {@code i} of a batch output
   * at {@code i * P * 4} and {@code i * P * (1 + C)}. Returns boxes by score, highest first (ties
   * by class, then prior). A prior whose decoded box is not finite (a broken model) is skipped.
   */
  public List<Box> decode(float[] boxes, int boxesOffset, float[] logits, int logitsOffset) {
    int stride = 1 + classCount;
    if (boxesOffset < 0 || boxes.length - boxesOffset < 4 * priorCount) {
      throw new IllegalArgumentException(
          "boxes row needs "
              + 4 * priorCount
              + " values from offset "
              + boxesOffset
              + "; array has "
              + boxes.length);
    }
    if (logitsOffset < 0 || logits.length - logitsOffset < stride * priorCount) {
      throw new IllegalArgumentException(
          "logits row needs "
              + stride * priorCount
              + " values from offset "
              + logitsOffset
              + "; array has "
              + logits.length);
    }
    Scratch s = scratch.get();
    int count = collectCandidates(boxes, boxesOffset, logits, logitsOffset, s);
    Arrays.sort(s.keys, 0, count);
    return suppress(count, s);
  }

  private int collectCandidates(
      float[] boxes, int boxesOffset, float[] logits, int logitsOffset, Scratch s) {
    int stride = 1 + classCount;
    float scoreThreshold = postprocessing.scoreThreshold();
    float outputThreshold = postprocessing.outputThreshold();
    long[] keys = s.keys;
    float[] corners = s.corners;
    double[] exps = s.exps;
    int count = 0;
    for (int p = 0, row = logitsOffset; p < priorCount; p++, row += stride) {
      float max = logits[row];
      for (int j = 1; j < stride; j++) {
        max = Math.max(max, logits[row + j]);
      }
      // softmax_c = exp(l_c - max) / sum with sum >= 1, so l_c - max < log(t) rules c out.
      boolean any = false;
      for (int c = 1; c < stride; c++) {
        if (logits[row + c] - max >= logBound) {
          any = true;
          break;
        }
      }
      if (!any) {
        continue;
      }
      double sum = 0;
      for (int j = 0; j < stride; j++) {
        double e = Math.exp(logits[row + j] - max);
        exps[j] = e;
        sum += e;
      }
      boolean decoded = false;
      for (int c = 1; c < stride; c++) {
        float score = (float) (exps[c] / sum);
        if (!(score > scoreThreshold && score >= outputThreshold)) {
          continue;
        }
        if (!decoded) {
          if (!decodeBox(boxes, boxesOffset + 4 * p, p, corners)) {
            break;
          }
          decoded = true;
        }
        keys[count++] = key(score, (c - 1) * priorCount + p);
      }
    }
    return count;
  }

  /** Writes the clipped corners of prior {@code p}; false when they are not finite. */
  private boolean decodeBox(float[] boxes, int at, int p, float[] corners) {
    float pcx = priors[4 * p];
    float pcy = priors[4 * p + 1];
    float pw = priors[4 * p + 2];
    float ph = priors[4 * p + 3];
    // The trainer's float32 order of operations: centre + offset * variance * size.
    float cx = pcx + boxes[at] * variance0 * pw;
    float cy = pcy + boxes[at + 1] * variance0 * ph;
    float w = pw * (float) Math.exp(boxes[at + 2] * variance1);
    float h = ph * (float) Math.exp(boxes[at + 3] * variance1);
    float x0 = clip(cx - w / 2f);
    float y0 = clip(cy - h / 2f);
    float x1 = clip(cx + w / 2f);
    float y1 = clip(cy + h / 2f);
    if (Float.isNaN(x0 + y0 + x1 + y1)) {
      return false;
    }
    corners[4 * p] = x0;
    corners[4 * p + 1] = y0;
    corners[4 * p + 2] = x1;
    corners[4 * p + 3] = y1;
    return true;
  }

  private List<Box> suppress(int count, Scratch s) {
    int topK = postprocessing.topK();
    float iouThreshold = postprocessing.nmsIouThreshold();
    float[] corners = s.corners;
    // Kept boxes per class, corners copied contiguously: a candidate only meets its own class.
    float[] kept = s.kept;
    int[] keptPerClass = s.keptPerClass;
    Arrays.fill(keptPerClass, 0);
    int keptCount = 0;
    List<Box> result = new ArrayList<>(Math.min(count, topK));
    for (int i = 0; i < count && keptCount < topK; i++) {
      long key = s.keys[i];
      int index = (int) key;
      int classIndex = index / priorCount;
      int box = 4 * (index - classIndex * priorCount);
      int classStart = 4 * classIndex * s.classCapacity;
      int classEnd = classStart + 4 * keptPerClass[classIndex];
      boolean suppressed = false;
      for (int k = classStart; k < classEnd; k += 4) {
        if (iou(corners, box, kept, k) > iouThreshold) {
          suppressed = true;
          break;
        }
      }
      if (suppressed) {
        continue;
      }
      System.arraycopy(corners, box, kept, classEnd, 4);
      keptPerClass[classIndex]++;
      keptCount++;
      result.add(
          new Box(
              classIndex,
              score(key),
              corners[box],
              corners[box + 1],
              corners[box + 2],
              corners[box + 3]));
    }
    return result;
  }

  /** IoU of corners {@code a[i..i+3]} and {@code b[j..j+3]}; 0 when they don't overlap. */
  private static float iou(float[] a, int i, float[] b, int j) {
    float iw = Math.min(a[i + 2], b[j + 2]) - Math.max(a[i], b[j]);
    float ih = Math.min(a[i + 3], b[j + 3]) - Math.max(a[i + 1], b[j + 1]);
    if (iw <= 0f || ih <= 0f) {
      return 0f;
    }
    float areaA = (a[i + 2] - a[i]) * (a[i + 3] - a[i + 1]);
    float areaB = (b[j + 2] - b[j]) * (b[j + 3] - b[j + 1]);
    float inter = iw * ih;
    float union = areaA + areaB - inter;
    return union > 0f ? inter / union : 0f;
  }

  /**
   * Ascending order of keys is descending score, then ascending class and prior: a non-negative
   * float's bits order like the float, so subtracting them from MAX_VALUE reverses it.
   */
  private static long key(float score, int index) {
    return ((long) (Integer.MAX_VALUE - Float.floatToRawIntBits(score)) << 32) | index;
  }

  private static float score(long key) {
    return Float.intBitsToFloat(Integer.MAX_VALUE - (int) (key >>> 32));
  }

  private static float clip(float v) {
    return Math.min(1f, Math.max(0f, v));
  }

  private void checkOutput(ModelMetadata metadata, String name, int width) {
    boolean declared = metadata.outputs().stream().anyMatch(spec -> spec.name().equals(name));
    if (!declared) {
      throw new IllegalArgumentException(metadata.name() + ": no output named " + name);
    }
    long[] shape = metadata.output(name).shape();
    boolean fits =
        shape.length == 3
            && (shape[1] < 0 || shape[1] == priorCount)
            && (shape[2] < 0 || shape[2] == width);
    if (!fits) {
      throw new IllegalArgumentException(
          metadata.name()
              + ": output "
              + name
              + " has shape "
              + Arrays.toString(shape)
              + "; expected [-1, "
              + priorCount
              + ", "
              + width
              + "]");
    }
  }

  private static JsonNode required(ModelMetadata metadata, String field) {
    JsonNode node = metadata.document().get(field);
    if (node == null || !node.isArray()) {
      throw new IllegalArgumentException(
          metadata.name() + ": model.json has no '" + field + "' array");
    }
    return node;
  }

  /** Per-thread working memory, sized once from the model. */
  private static final class Scratch {
    final float[] corners;
    final long[] keys;
    final float[] kept;
    final int[] keptPerClass;
    final int classCapacity;
    final double[] exps;

    /** {@code topK} at most P: NMS keeps at most one box per prior and class. */
    Scratch(int priorCount, int classCount, int topK) {
      this.corners = new float[4 * priorCount];
      this.keys = new long[priorCount * classCount];
      this.kept = new float[4 * classCount * topK];
      this.keptPerClass = new int[classCount];
      this.classCapacity = topK;
      this.exps = new double[1 + classCount];
    }
  }
}
