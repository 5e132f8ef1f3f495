package streaminfer.family.began;

/**
 * The generation pipeline's own settings.
 *
 * @param maxImagesPerRequest a request asking for more (or for an explicit latent longer than this
 *     many vectors) is dead-lettered: one record must not hold a partition for long
 */
public record GenerationSettings(int maxImagesPerRequest) {
  public static final int DEFAULT_MAX_IMAGES = 64;
}
