package streaminfer.family.ssd;

import java.util.Optional;

/**
 * The SSD pipeline's own settings.
 *
 * @param maxFramePixels larger frames are dead-lettered before decoding (decompression bombs)
 * @param outputThreshold published detections have at least this score (0..1); empty: the model's
 *     own ({@code postprocessing.outputThreshold} of model.json)
 */
public record SsdSettings(long maxFramePixels, Optional<Float> outputThreshold) {}
