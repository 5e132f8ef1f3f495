package streaminfer.family.guesswhat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import streaminfer.pipeline.BatchedModel;
import streaminfer.runtime.ModelMetadata;
import streaminfer.runtime.Tensor;
import streaminfer.v1.ModelRef;
import streaminfer.v1.OracleAnswer;

/**
 * The three GuessWhat?! networks behind their micro-batchers: every call is one row, so the words
 * of many concurrent games share a batch. Inputs follow the trainer's export (exporters/guesswhat).
 */
public final class Players {
  private static final OracleAnswer[] ORACLE_CLASSES = {
    OracleAnswer.YES, OracleAnswer.NO, OracleAnswer.NA
  };

  private final GameSpec spec;
  private final BatchedModel oracle;
  private final BatchedModel questioner;
  private final BatchedModel sceneEncoder;
  private final BatchedModel guesser;
  private final int hidden;

  /** One step of the question generator: next-word logits and the LSTM state after the word. */
  public record Step(float[] logits, float[] h, float[] c) {}

  public Players(
      GameSpec spec,
      BatchedModel oracle,
      BatchedModel questioner,
      BatchedModel sceneEncoder,
      BatchedModel guesser) {
    this.spec = spec;
    this.oracle = oracle;
    this.questioner = questioner;
    this.sceneEncoder = sceneEncoder;
    this.guesser = guesser;
    this.hidden = questioner.session().metadata().input("h").rowSize();
  }

  public GameSpec spec() {
    return spec;
  }

  /** The oracle's answer to {@code question} (ids ending in "?") about object {@code target}. */
  public CompletableFuture<OracleAnswer> answer(int[] question, Scene scene, int target) {
    long[] tokens = padded(question, spec.maxQuestionTokens());
    float[] spatial = new float[Scene.SPATIAL_FEATURES];
    int offset = (target + 1) * spec.objectFeatures() - Scene.SPATIAL_FEATURES;
    System.arraycopy(scene.features(), offset, spatial, 0, Scene.SPATIAL_FEATURES);
    return oracle
        .infer(
            Map.of(
                "tokens", Tensor.of(tokens),
                "lengths", Tensor.of((long) question.length),
                "category", Tensor.of((long) scene.categoryIndex(target, spec)),
                "colour", Tensor.of((long) scene.colourIndex(target, spec)),
                "spatial", Tensor.of(spatial)))
        .thenApply(outputs -> ORACLE_CLASSES[argmax(outputs.get("logits").floats())]);
  }

  /** The scene encoding QGen is conditioned on; once per game and turn. */
  public CompletableFuture<float[]> encodeScene(Scene scene) {
    return sceneEncoder
        .infer(
            Map.of("objects", Tensor.of(scene.features()), "object_mask", Tensor.of(scene.mask())))
        .thenApply(outputs -> outputs.get("scene").floats());
  }

  /** Reads one token; h and c empty means the zero initial state. */
  public CompletableFuture<Step> step(int token, float[] h, float[] c, float[] sceneCode) {
    return questioner
        .infer(
            Map.of(
                "token",
                Tensor.of((long) token),
                "h",
                Tensor.of(h.length == 0 ? new float[hidden] : h),
                "c",
                Tensor.of(c.length == 0 ? new float[hidden] : c),
                "scene",
                Tensor.of(sceneCode)))
        .thenApply(
            outputs ->
                new Step(
                    outputs.get("logits").floats(),
                    outputs.get("h_out").floats(),
                    outputs.get("c_out").floats()));
  }

  /**
   * The guesser's probability for each scene object, in scene order, from the dialogue (token ids
   * from <start>, without <stop>).
   */
  public CompletableFuture<float[]> guess(List<Integer> dialogue, Scene scene) {
    int[] ids = dialogue.stream().mapToInt(Integer::intValue).toArray();
    return guesser
        .infer(
            Map.of(
                "tokens", Tensor.of(padded(ids, spec.dialogueCapacity())),
                "lengths", Tensor.of((long) ids.length),
                "objects", Tensor.of(scene.features()),
                "object_mask", Tensor.of(scene.mask())))
        .thenApply(outputs -> softmax(Arrays.copyOf(outputs.get("logits").floats(), scene.size())));
  }

  public ModelRef oracleRef() {
    return ref(oracle);
  }

  public ModelRef questionerRef() {
    return ref(questioner);
  }

  public ModelRef guesserRef() {
    return ref(guesser);
  }

  private static ModelRef ref(BatchedModel model) {
    ModelMetadata metadata = model.session().metadata();
    return new ModelRef(metadata.name(), Integer.toString(metadata.version()));
  }

  private long[] padded(int[] ids, int length) {
    if (ids.length > length) {
      throw new InvalidTurnException(
          "a token sequence of " + ids.length + " exceeds the model's " + length);
    }
    long[] row = new long[length];
    Arrays.fill(row, spec.pad());
    for (int i = 0; i < ids.length; i++) {
      row[i] = ids[i];
    }
    return row;
  }

  static int argmax(float[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
  }

  static float[] softmax(float[] logits) {
    float max = logits[argmax(logits)];
    double sum = 0;
    double[] exp = new double[logits.length];
    for (int i = 0; i < logits.length; i++) {
      exp[i] = Math.exp(logits[i] - max);
      sum += exp[i];
    }
    float[] probabilities = new float[logits.length];
    for (int i = 0; i < logits.length; i++) {
      probabilities[i] = (float) (exp[i] / sum);
    }
    return probabilities;
  }
}
