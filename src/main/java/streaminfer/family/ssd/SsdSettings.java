package streaminfer.family.ssd;

/**
 * The SSD pipeline's own settings.
 *
 * @param maxFramePixels larger frames are dead-lettered before decoding (decompression bombs)
 */
public record SsdSettings(long maxFramePixels) {}
