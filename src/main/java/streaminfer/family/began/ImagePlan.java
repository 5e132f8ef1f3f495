package streaminfer.family.began;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import streaminfer.family.InvalidInputException;
import streaminfer.v1.GenerationRequest;

/**
 * The latent of every image a {@link GenerationRequest} asks for, checked against the pipeline's
 * limits: from {@code seed} (image i: seed + i), or from the explicit {@code latent} floats.
 *
 * @param seeds per image, the seed its latent was drawn from; null where the request gave it
 */
public record ImagePlan(List<float[]> latents, List<Long> seeds) {
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  public ImagePlan {
    latents = List.copyOf(latents);
    // List.copyOf refuses nulls, and a supplied latent has no seed.
    seeds = Collections.unmodifiableList(new ArrayList<>(seeds));
  }

  /**
   * @throws InvalidInputException when count is outside 1..maxImages, or the explicit latent is not
   *     count * latentDim finite floats
   */
  public static ImagePlan of(GenerationRequest request, int latentDim, int maxImages) {
    int count = request.getCount();
    if (count < 1 || count > maxImages) {
      throw new InvalidInputException(
          "count "
              + count
              + " is outside 1.."
              + maxImages
              + " (the pipeline's settings.maxImagesPerRequest)");
    }
    List<float[]> latents = new ArrayList<>(count);
    List<Long> seeds = new ArrayList<>(count);
    if (request.getLatent() != null) {
      List<Float> given = request.getLatent();
      if (given.size() != (long) count * latentDim) {
        throw new InvalidInputException(
            "latent has "
                + given.size()
                + " floats; count "
                + count
                + " x latent size "
                + latentDim
                + " = "
                + (long) count * latentDim
                + " expected");
      }
      for (int i = 0; i < count; i++) {
        float[] z = new float[latentDim];
        for (int j = 0; j < latentDim; j++) {
          z[j] = given.get(i * latentDim + j);
          if (!Float.isFinite(z[j])) {
            throw new InvalidInputException("latent value " + (i * latentDim + j) + " is " + z[j]);
          }
        }
        latents.add(z);
        seeds.add(null);
      }
    } else {
      long seed = request.getSeed() != null ? request.getSeed() : seedOf(request.getRequestId());
      for (int i = 0; i < count; i++) {
        latents.add(Latents.forSeed(seed + i, latentDim));
        seeds.add(seed + i);
      }
    }
    return new ImagePlan(latents, seeds);
  }

  /**
   * The seed the engine picks for a request without one: FNV-1a (64 bit) of its id's UTF-8 bytes,
   * so a redelivered request yields the same images again.
   */
  static long seedOf(String requestId) {
    long hash = FNV_OFFSET;
    for (byte b : requestId.getBytes(StandardCharsets.UTF_8)) {
      hash = (hash ^ (b & 0xff)) * FNV_PRIME;
    }
    return hash;
  }
}
