package streaminfer.family.began;

/**
 * Seed to latent vector, bit for bit as the trainer draws it ({@code exporters/began/latent.py}):
 * SplitMix64 with its state starting at the seed; component j is the top 24 bits of output j,
 * {@code k}, as {@code k / 2^23 - 1}, uniform in [-1, 1) (BEGAN's prior). Only integer steps and
 * one exact float division, so no math library can make the engine and the trainer disagree.
 */
public final class Latents {
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
  private static final float HALF_RANGE = 1 << 23;

  private Latents() {}

  /** The latent of {@code seed}; image i of a request with seed s uses s + i (wrapping). */
  public static float[] forSeed(long seed, int dim) {
    float[] z = new float[dim];
    long state = seed;
    for (int j = 0; j < dim; j++) {
      state += GOLDEN_GAMMA;
      long top24 = mix(state) >>> 40;
      z[j] = (top24 - (1 << 23)) / HALF_RANGE;
    }
    return z;
  }

  /** SplitMix64's output function (Steele, Lea, Flood 2014). */
  static long mix(long state) {
    long z = state;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
