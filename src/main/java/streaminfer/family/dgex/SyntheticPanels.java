package streaminfer.family.dgex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import streaminfer.codec.Floats;
import streaminfer.v1.GenePanel;

/**
 * Demo and benchmark panels: the held-out panels the trainer shipped beside the model ({@code
 * golden.json}), each drawn at random and jittered by Gaussian noise, so values stay on the model's
 * log2 scale without shipping a data set. Seeded, so runs are repeatable.
 */
public final class SyntheticPanels {
  private static final double NOISE_LOG2 = 0.25;

  private final List<float[]> bases;
  private final SplittableRandom random;

  public SyntheticPanels(List<float[]> bases, long seed) {
    if (bases.isEmpty()) {
      throw new IllegalArgumentException("no base panels to draw from");
    }
    this.bases = List.copyOf(bases);
    this.random = new SplittableRandom(seed);
  }

  /** Reads the golden inputs of a model version directory. */
  public static SyntheticPanels fromGolden(Path versionDirectory, long seed) {
    try {
      JsonNode golden =
          new ObjectMapper().readTree(versionDirectory.resolve("golden.json").toFile());
      List<float[]> bases = new ArrayList<>();
      for (JsonNode row : golden.get("inputs")) {
        float[] values = new float[row.size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) row.get(i).asDouble();
        }
        bases.add(values);
      }
      return new SyntheticPanels(bases, seed);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read golden panels in " + versionDirectory, e);
    }
  }

  /** Not thread-safe: one generator per producing thread. */
  public GenePanel next(String sampleId) {
    float[] base = bases.get(random.nextInt(bases.size()));
    float[] values = new float[base.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (base[i] + NOISE_LOG2 * gaussian());
    }
    return GenePanel.newBuilder().setSampleId(sampleId).setValues(Floats.view(values)).build();
  }

  private double gaussian() {
    // Box-Muller: SplittableRandom has no nextGaussian on Java 17.
    double u = 1.0 - random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  }
}
