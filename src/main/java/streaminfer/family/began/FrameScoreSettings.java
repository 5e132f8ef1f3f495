package streaminfer.family.began;

import java.util.Optional;

/**
 * The frame-scoring pipeline's own settings.
 *
 * @param maxFramePixels larger frames are dead-lettered before decoding (decompression bombs)
 * @param threshold a score above it sets {@code anomaly}; empty: the model's own ({@code
 *     scoring.threshold} of model.json, a high percentile of training images' scores)
 */
public record FrameScoreSettings(long maxFramePixels, Optional<Double> threshold) {}
