package streaminfer.family.ssd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import streaminfer.runtime.Batching;
import streaminfer.runtime.ModelMetadata;
import streaminfer.runtime.TensorSpec;

class SsdDecoderTest {
  private static final float[] VARIANCES = {0.1f, 0.2f};
  private static final List<String> LABELS = List.of("cat", "dog", "bird");
  private static final float EPS = 1e-6f;
  // A logit far above the others: that column takes (almost) all of the softmax.
  private static final float HIGH = 20f;

  @Test
  void decodesKnownOffsetsIntoHandComputedCorners() {
    SsdDecoder decoder = decoder(new float[] {0.5f, 0.5f, 0.2f, 0.4f}, all());
    // cx = 0.5 + 1 * 0.1 * 0.2 = 0.52, cy = 0.5 - 2 * 0.1 * 0.4 = 0.42,
    // w = 0.2 * exp(ln2) = 0.4, h = 0.4 * exp(0) = 0.4.
    float dw = (float) (Math.log(2) / 0.2);
    List<Box> boxes = decoder.decode(new float[] {1f, -2f, dw, 0f}, logits(1, 0, HIGH));

    assertEquals(1, boxes.size());
    Box box = boxes.get(0);
    assertEquals(0, box.classId());
    assertEquals(0.32f, box.xMin(), EPS);
    assertEquals(0.22f, box.yMin(), EPS);
    assertEquals(0.72f, box.xMax(), EPS);
    assertEquals(0.62f, box.yMax(), EPS);
  }

  @Test
  void clipsCornersToTheUnitSquare() {
    SsdDecoder decoder = decoder(new float[] {0.1f, 0.9f, 0.4f, 0.4f}, all());
    Box box = decoder.decode(new float[] {0, 0, 0, 0}, logits(1, 2, HIGH)).get(0);
    assertEquals(0f, box.xMin());
    assertEquals(0.3f, box.xMax(), EPS);
    assertEquals(0.7f, box.yMin(), EPS);
    assertEquals(1f, box.yMax());
  }

  @Test
  void scoresEachClassByTheSoftmaxOverBackgroundAndAllClasses() {
    SsdDecoder decoder = decoder(new float[] {0.5f, 0.5f, 0.2f, 0.2f}, all());
    // exp: background 1, cat 6, dog 1, bird 3; sum 11.
    float[] logits = {0f, (float) Math.log(6), 0f, (float) Math.log(3)};
    List<Box> boxes = decoder.decode(new float[4], logits);

    // One box, three classes: NMS is per class, so none suppresses another.
    assertEquals(3, boxes.size());
    assertEquals(0, boxes.get(0).classId());
    assertEquals(6f / 11, boxes.get(0).score(), EPS);
    assertEquals(2, boxes.get(1).classId());
    assertEquals(3f / 11, boxes.get(1).score(), EPS);
    assertEquals(1, boxes.get(2).classId());
    assertEquals(1f / 11, boxes.get(2).score(), EPS);
  }

  @Test
  void suppressesAnOverlappingLowerScoredBoxOfTheSameClass() {
    // Two identical priors, one slightly shifted box: IoU far above 0.45.
    SsdDecoder decoder = decoder(twoPriors(0.5f, 0.52f), published());
    float[] logits = concat(logits(1, 1, 3f), logits(1, 1, 4f));
    List<Box> boxes = decoder.decode(new float[8], logits);

    assertEquals(1, boxes.size());
    assertEquals(0.52f - 0.1f, boxes.get(0).xMin(), EPS); // the second prior scored higher
  }

  @Test
  void keepsOverlappingBoxesOfDifferentClasses() {
    SsdDecoder decoder = decoder(twoPriors(0.5f, 0.52f), published());
    float[] logits = concat(logits(1, 0, 3f), logits(1, 2, 4f));
    List<Box> boxes = decoder.decode(new float[8], logits);

    assertEquals(2, boxes.size());
    assertEquals(2, boxes.get(0).classId());
    assertEquals(0, boxes.get(1).classId());
  }

  @Test
  void keepsSameClassBoxesThatOverlapAtOrBelowTheIouThreshold() {
    // Boxes 0.2 wide, centres 0.2 apart: they touch, IoU 0.
    SsdDecoder decoder = decoder(twoPriors(0.3f, 0.5f), published());
    List<Box> boxes = decoder.decode(new float[8], concat(logits(1, 0, 3f), logits(1, 0, 4f)));
    assertEquals(2, boxes.size());
  }

  @Test
  void keepsAtMostTopKOverAllClassesHighestScoresFirst() {
    int priors = 10;
    float[] priorRows = new float[4 * priors];
    float[] logits = new float[4 * priors];
    for (int p = 0; p < priors; p++) {
      // Disjoint boxes, so NMS suppresses nothing.
      priorRows[4 * p] = 0.05f + 0.1f * p;
      priorRows[4 * p + 1] = 0.5f;
      priorRows[4 * p + 2] = 0.05f;
      priorRows[4 * p + 3] = 0.05f;
      logits[4 * p + 1 + p % 3] = 1f + p; // increasing confidence
    }
    SsdDecoder decoder = decoder(priorRows, new SsdPostprocessing(0.01f, 0.45f, 4, 0f));
    List<Box> boxes = decoder.decode(new float[4 * priors], logits);

    assertEquals(4, boxes.size());
    for (int i = 1; i < boxes.size(); i++) {
      assertTrue(boxes.get(i - 1).score() >= boxes.get(i).score());
    }
    // The best is prior 9, class 9 % 3.
    assertEquals(0, boxes.get(0).classId());
    assertEquals(0.05f + 0.1f * 9 - 0.025f, boxes.get(0).xMin(), EPS);
  }

  @Test
  void dropsDetectionsBelowTheOutputThreshold() {
    SsdDecoder strict =
        decoder(twoPriors(0.2f, 0.8f), new SsdPostprocessing(0.01f, 0.45f, 200, 0.5f));
    // Prior 0: cat 6/11 (published), dog 1/11, bird 3/11; prior 1: cat 1/10, dog 3/10.
    float ln6 = (float) Math.log(6);
    float ln3 = (float) Math.log(3);
    float[] logits = {0f, ln6, 0f, ln3, ln6, 0f, ln3, -30f};
    List<Box> published = strict.decode(new float[8], logits);
    assertEquals(1, published.size());
    assertEquals(0, published.get(0).classId());

    SsdDecoder all = decoder(twoPriors(0.2f, 0.8f), all());
    assertEquals(5, all.decode(new float[8], logits).size());
  }

  @Test
  void keepsOnlyScoresStrictlyAboveTheScoreThreshold() {
    SsdDecoder decoder =
        decoder(new float[] {0.5f, 0.5f, 0.2f, 0.2f}, new SsdPostprocessing(0.25f, 0.45f, 200, 0f));
    // Four equal logits: every class scores exactly 0.25.
    assertEquals(List.of(), decoder.decode(new float[4], new float[4]));
  }

  @Test
  void ordersEqualScoresByClassThenPrior() {
    SsdDecoder decoder = decoder(twoPriors(0.2f, 0.8f), published());
    float[] logits = {0f, 3f, 3f, 0f, 0f, 3f, 3f, 0f};
    List<Box> boxes = decoder.decode(new float[8], logits);
    assertEquals(4, boxes.size());
    assertEquals(List.of(0, 0, 1, 1), boxes.stream().map(Box::classId).toList());
    assertTrue(boxes.get(0).xMin() < boxes.get(1).xMin());
  }

  @Test
  void decodesOneImageOfABatchAtItsOffsets() {
    SsdDecoder decoder = decoder(new float[] {0.5f, 0.5f, 0.2f, 0.2f}, all());
    float[] boxes = new float[8];
    boxes[4] = 1f; // image 1: dx = 1 moves the centre by 0.1 * 0.2
    float[] logits = concat(logits(1, 0, HIGH), logits(1, 1, HIGH));
    Box box = decoder.decode(boxes, 4, logits, 4).get(0);
    assertEquals(1, box.classId());
    assertEquals(0.42f, box.xMin(), EPS);
  }

  @Test
  void skipsAPriorWhoseDecodedBoxIsNotFinite() {
    SsdDecoder decoder = decoder(twoPriors(0.2f, 0.8f), all());
    float[] boxes = {Float.NaN, 0, 0, 0, 0, 0, 0, 0};
    List<Box> result = decoder.decode(boxes, concat(logits(1, 0, HIGH), logits(1, 0, HIGH)));
    assertEquals(1, result.size());
    assertEquals(0.7f, result.get(0).xMin(), EPS);
  }

  @Test
  void rejectsRowsShorterThanThePriors() {
    SsdDecoder decoder = decoder(twoPriors(0.2f, 0.8f), all());
    IllegalArgumentException error =
        assertThrows(
            IllegalArgumentException.class, () -> decoder.decode(new float[4], new float[8]));
    assertTrue(error.getMessage().contains("boxes row needs 8"), error.getMessage());
  }

  @Test
  void matchesAStraightforwardReferenceOnRandomOutputs() {
    SplittableRandom random = new SplittableRandom(7);
    int priors = 1200;
    float[] priorRows = randomPriors(priors, random);
    for (SsdPostprocessing post :
        List.of(
            SsdPostprocessing.defaults(),
            SsdPostprocessing.defaults().withOutputThreshold(0f),
            new SsdPostprocessing(0.05f, 0.3f, 25, 0.1f))) {
      SsdDecoder decoder = new SsdDecoder(priorRows, VARIANCES, LABELS, post);
      for (int image = 0; image < 5; image++) {
        float[] boxes = randomOffsets(priors, random);
        float[] logits = randomLogits(priors, random, 2.5);
        assertEquals(
            reference(priorRows, post, boxes, logits), decoder.decode(boxes, logits), "" + post);
      }
    }
  }

  @Test
  void readsPriorsVariancesLabelsAndThresholdsFromModelJson() throws Exception {
    String json =
        "{\"priors\": [[0.5, 0.5, 0.2, 0.4]], \"variances\": [0.1, 0.2],"
            + " \"labels\": [\"cat\", \"dog\", \"bird\"],"
            + " \"postprocessing\": {\"scoreThreshold\": 0.02, \"nmsIouThreshold\": 0.5,"
            + " \"topK\": 50, \"outputThreshold\": 0.4}}";
    ModelMetadata metadata =
        new ModelMetadata(
            "ssd",
            1,
            "ssd",
            List.of(new TensorSpec("images", "float32", new long[] {-1, 3, 8, 8})),
            List.of(
                new TensorSpec("boxes", "float32", new long[] {-1, 1, 4}),
                new TensorSpec("logits", "float32", new long[] {-1, 1, 4})),
            "0".repeat(64),
            null,
            Batching.BATCH,
            new ObjectMapper().readTree(json));
    SsdDecoder decoder = SsdDecoder.fromMetadata(metadata);

    assertEquals(1, decoder.priorCount());
    assertEquals(LABELS, decoder.labels());
    assertEquals(new SsdPostprocessing(0.02f, 0.5f, 50, 0.4f), decoder.postprocessing());
    float dw = (float) (Math.log(2) / 0.2);
    assertEquals(
        0.32f,
        decoder.decode(new float[] {1f, -2f, dw, 0f}, logits(1, 0, HIGH)).get(0).xMin(),
        EPS);
  }

  @Test
  void rejectsModelJsonWhosePriorsDisagreeWithTheOutputShape() throws Exception {
    ModelMetadata metadata =
        new ModelMetadata(
            "ssd",
            1,
            "ssd",
            List.of(new TensorSpec("images", "float32", new long[] {-1, 3, 8, 8})),
            List.of(
                new TensorSpec("boxes", "float32", new long[] {-1, 2, 4}),
                new TensorSpec("logits", "float32", new long[] {-1, 2, 4})),
            "0".repeat(64),
            null,
            Batching.BATCH,
            new ObjectMapper()
                .readTree(
                    "{\"priors\": [[0.5, 0.5, 0.2, 0.4]], \"variances\": [0.1, 0.2],"
                        + " \"labels\": [\"cat\", \"dog\", \"bird\"]}"));
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> SsdDecoder.fromMetadata(metadata));
    assertTrue(error.getMessage().contains("boxes has shape [-1, 2, 4]"), error.getMessage());
  }

  @Test
  void rejectsThresholdsOutsideZeroToOne() {
    assertThrows(
        IllegalArgumentException.class, () -> new SsdPostprocessing(-0.1f, 0.45f, 200, 0f));
    assertThrows(IllegalArgumentException.class, () -> new SsdPostprocessing(0.01f, 0.45f, 0, 0f));
    assertThrows(
        IllegalArgumentException.class, () -> new SsdPostprocessing(0.01f, Float.NaN, 1, 0f));
  }

  // --- the reference: the contract written as plainly as possible ---

  static List<Box> reference(
      float[] priors, SsdPostprocessing post, float[] boxes, float[] logits) {
    int count = priors.length / 4;
    int stride = 1 + LABELS.size();
    float[][] corners = new float[count][];
    for (int p = 0; p < count; p++) {
      float cx = priors[4 * p] + boxes[4 * p] * VARIANCES[0] * priors[4 * p + 2];
      float cy = priors[4 * p + 1] + boxes[4 * p + 1] * VARIANCES[0] * priors[4 * p + 3];
      float w = priors[4 * p + 2] * (float) Math.exp(boxes[4 * p + 2] * VARIANCES[1]);
      float h = priors[4 * p + 3] * (float) Math.exp(boxes[4 * p + 3] * VARIANCES[1]);
      corners[p] =
          new float[] {clip(cx - w / 2f), clip(cy - h / 2f), clip(cx + w / 2f), clip(cy + h / 2f)};
    }
    record Candidate(int classId, int prior, float score) {}
    List<Candidate> kept = new ArrayList<>();
    for (int c = 1; c < stride; c++) {
      List<Candidate> candidates = new ArrayList<>();
      for (int p = 0; p < count; p++) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < stride; j++) {
          max = Math.max(max, logits[p * stride + j]);
        }
        double sum = 0;
        for (int j = 0; j < stride; j++) {
          sum += Math.exp(logits[p * stride + j] - max);
        }
        float score = (float) (Math.exp(logits[p * stride + c] - max) / sum);
        if (score > post.scoreThreshold()) {
          candidates.add(new Candidate(c - 1, p, score));
        }
      }
      candidates.sort(
          Comparator.comparing(Candidate::score).reversed().thenComparing(Candidate::prior));
      List<Candidate> classKept = new ArrayList<>();
      for (Candidate candidate : candidates) {
        boolean suppressed = false;
        for (Candidate other : classKept) {
          suppressed |=
              iou(corners[candidate.prior()], corners[other.prior()]) > post.nmsIouThreshold();
        }
        if (!suppressed) {
          classKept.add(candidate);
        }
      }
      kept.addAll(classKept);
    }
    kept.sort(
        Comparator.comparing(Candidate::score)
            .reversed()
            .thenComparing(Candidate::classId)
            .thenComparing(Candidate::prior));
    List<Box> result = new ArrayList<>();
    for (Candidate candidate : kept.subList(0, Math.min(post.topK(), kept.size()))) {
      if (candidate.score() >= post.outputThreshold()) {
        float[] b = corners[candidate.prior()];
        result.add(new Box(candidate.classId(), candidate.score(), b[0], b[1], b[2], b[3]));
      }
    }
    return result;
  }

  private static float iou(float[] a, float[] b) {
    float iw = Math.max(0f, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
    float ih = Math.max(0f, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
    float inter = iw * ih;
    float union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
    return union > 0f ? inter / union : 0f;
  }

  private static float clip(float v) {
    return Math.min(1f, Math.max(0f, v));
  }

  // --- synthetic model outputs, shared with the timing test ---

  static float[] randomPriors(int count, SplittableRandom random) {
    float[] priors = new float[4 * count];
    for (int p = 0; p < count; p++) {
      priors[4 * p] = (float) random.nextDouble();
      priors[4 * p + 1] = (float) random.nextDouble();
      priors[4 * p + 2] = (float) random.nextDouble(0.05, 0.6);
      priors[4 * p + 3] = (float) random.nextDouble(0.05, 0.6);
    }
    return priors;
  }

  static float[] randomOffsets(int count, SplittableRandom random) {
    float[] boxes = new float[4 * count];
    for (int i = 0; i < boxes.length; i++) {
      boxes[i] = (float) random.nextDouble(-2, 2);
    }
    return boxes;
  }

  /**
   * Background-heavy logits like a trained detector's: background ahead by about {@code
   * backgroundLead} nats, so a few percent of priors have a class above 0.3.
   */
  static float[] randomLogits(int count, SplittableRandom random, double backgroundLead) {
    int stride = 1 + LABELS.size();
    float[] logits = new float[stride * count];
    for (int p = 0; p < count; p++) {
      logits[p * stride] = (float) (backgroundLead + random.nextDouble(-2, 2));
      for (int c = 1; c < stride; c++) {
        logits[p * stride + c] = (float) random.nextDouble(-2, 2);
      }
    }
    return logits;
  }

  private static SsdDecoder decoder(float[] priors, SsdPostprocessing post) {
    return new SsdDecoder(priors, VARIANCES, LABELS, post);
  }

  /** The trainer's published thresholds: the 0.04 side classes of a logit 3 row stay out. */
  private static SsdPostprocessing published() {
    return SsdPostprocessing.defaults();
  }

  private static SsdPostprocessing all() {
    return SsdPostprocessing.defaults().withOutputThreshold(0f);
  }

  private static float[] twoPriors(float cx0, float cx1) {
    return new float[] {cx0, 0.5f, 0.2f, 0.2f, cx1, 0.5f, 0.2f, 0.2f};
  }

  /** Logits of {@code priors} rows with column {@code classId + 1} at {@code value}, others 0. */
  private static float[] logits(int priors, int classId, float value) {
    float[] logits = new float[priors * (1 + LABELS.size())];
    for (int p = 0; p < priors; p++) {
      logits[p * (1 + LABELS.size()) + 1 + classId] = value;
    }
    return logits;
  }

  private static float[] concat(float[] a, float[] b) {
    float[] result = new float[a.length + b.length];
    System.arraycopy(a, 0, result, 0, a.length);
    System.arraycopy(b, 0, result, a.length, b.length);
    return result;
  }
}
