package streaminfer.family.frames;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import streaminfer.family.InvalidInputException;
import streaminfer.v1.Frame;
import streaminfer.v1.FrameEncoding;

/**
 * A {@link Frame}'s bytes to RGB pixels, rejecting what the model must not see: corrupt or
 * truncated files, sizes that contradict the frame's declared width and height, and images over a
 * pixel limit, checked from the header before any pixel is decompressed.
 *
 * <p>JPEG and PNG go through the JDK's ImageIO readers: for a 320x320 frame they decode in about
 * 0.6 ms, TwelveMonkeys' JPEG reader (which delegates to the JDK's decoder) took 0.7 ms. A JPEG
 * frame twice the model's input size takes FFmpeg's decoder instead, at half size ({@link
 * #inputRow}, {@link HalfSizeJpegDecoder}: about 0.12 ms). Metadata is ignored, so EXIF orientation
 * is not applied (as PIL without {@code exif_transpose}). The JDK's JPEG reader only warns on
 * truncated data and fills the rest grey; warnings are errors here.
 *
 * <p>Thread-safe: ImageIO readers are not, so each thread keeps its own, reused across frames and
 * never disposed (the event loop and worker pools are bounded).
 */
public final class FrameImageDecoder {
  /** 4096 x 4096: above any camera frame we serve, 48 MiB of RGB at most per decode. */
  public static final long DEFAULT_MAX_PIXELS = 4096L * 4096L;

  private final long maxPixels;
  private final ThreadLocal<Readers> readers = ThreadLocal.withInitial(Readers::new);

  public FrameImageDecoder() {
    this(DEFAULT_MAX_PIXELS);
  }

  public FrameImageDecoder(long maxPixels) {
    if (maxPixels < 1 || maxPixels > Integer.MAX_VALUE / 3) {
      throw new IllegalArgumentException(
          "maxPixels must be in 1.." + Integer.MAX_VALUE / 3 + ", not " + maxPixels);
    }
    this.maxPixels = maxPixels;
  }

  public long maxPixels() {
    return maxPixels;
  }

  /** Decodes a frame; the message of a rejection names the stream and sequence number. */
  public RgbImage decode(Frame frame) {
    try {
      return decode(frame.getEncoding(), frame.getWidth(), frame.getHeight(), frame.getData());
    } catch (InvalidInputException e) {
      throw new InvalidInputException(
          "frame " + frame.getStreamId() + "#" + frame.getSeq() + ": " + e.getMessage());
    }
  }

  /**
   * A frame as the model's input row: a JPEG frame of exactly twice the input size is decoded at
   * half size ({@link HalfSizeJpegDecoder}), which stands for the model's bilinear 2x shrink;
   * anything else as {@link #decode(Frame)}, then resized. Either way the image is checked as
   * there.
   */
  public float[] inputRow(Frame frame, FramePreprocessor preprocessor) {
    if (frame.getEncoding() == FrameEncoding.JPEG
        && frame.getWidth() == 2 * preprocessor.width()
        && frame.getHeight() == 2 * preprocessor.height()
        && (long) frame.getWidth() * frame.getHeight() <= maxPixels) {
      RgbPlanes half =
          readers.get().halfSize().decode(frame.getData(), frame.getWidth(), frame.getHeight());
      if (half != null) {
        return preprocessor.preprocess(half);
      }
    }
    return preprocessor.preprocess(decode(frame));
  }

  /**
   * Decodes {@code data} from its position to its limit (the buffer is not moved), which must be an
   * image of exactly the declared width and height.
   */
  public RgbImage decode(FrameEncoding encoding, int width, int height, ByteBuffer data) {
    checkSize("declared size", width, height);
    switch (encoding) {
      case RGB24:
        return rgb24(width, height, data);
      case JPEG:
      case PNG:
        return imageIo(encoding, width, height, data);
      default:
        throw new InvalidInputException("unsupported encoding " + encoding);
    }
  }

  private RgbImage rgb24(int width, int height, ByteBuffer data) {
    long expected = 3L * width * height;
    if (data.remaining() != expected) {
      throw new InvalidInputException(
          "RGB24 "
              + width
              + "x"
              + height
              + " needs "
              + expected
              + " bytes, got "
              + data.remaining());
    }
    byte[] pixels = new byte[(int) expected];
    // Copied, not wrapped: the record's buffer may be reused by the Avro decoder.
    data.duplicate().get(pixels);
    return new RgbImage(width, height, pixels);
  }

  private RgbImage imageIo(FrameEncoding encoding, int width, int height, ByteBuffer data) {
    if (!data.hasRemaining()) {
      throw new InvalidInputException(encoding + " data is empty");
    }
    Readers slot = readers.get();
    ImageReader reader = slot.reader(encoding);
    slot.warning = null;
    try (ByteBufferImageInputStream input = new ByteBufferImageInputStream(data)) {
      reader.setInput(input, true, true);
      int actualWidth = reader.getWidth(0);
      int actualHeight = reader.getHeight(0);
      // Header only so far: a bomb is rejected before its pixels are inflated.
      checkSize(encoding + " header size", actualWidth, actualHeight);
      if (actualWidth != width || actualHeight != height) {
        throw new InvalidInputException(
            encoding
                + " image is "
                + actualWidth
                + "x"
                + actualHeight
                + " but the frame declares "
                + width
                + "x"
                + height);
      }
      BufferedImage image = reader.read(0);
      if (slot.warning != null) {
        throw new InvalidInputException(
            encoding + " data is corrupt or truncated: " + slot.warning);
      }
      return toRgb(image);
    } catch (IOException | RuntimeException e) {
      if (e instanceof InvalidInputException invalid) {
        throw invalid;
      }
      // Readers throw IIOException, EOFException and, on some corrupt inputs, runtime exceptions.
      throw new InvalidInputException(
          encoding
              + " data is corrupt or truncated: "
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage());
    } finally {
      reader.setInput(null);
    }
  }

  private void checkSize(String what, int width, int height) {
    if (width <= 0 || height <= 0) {
      throw new InvalidInputException(what + " " + width + "x" + height + " is not positive");
    }
    if ((long) width * height > maxPixels) {
      throw new InvalidInputException(
          what + " " + width + "x" + height + " is over the limit of " + maxPixels + " pixels");
    }
  }

  /**
   * Interleaved 8-bit gray, RGB or RGBA rasters (what the readers give for ordinary JPEG and PNG)
   * are copied straight from the data buffer; gray is replicated, not gamma-converted as {@code
   * getRGB} would, and alpha is dropped, as PIL's {@code convert("RGB")} does. Anything else
   * (palette, 16-bit, other colour spaces) goes through one bulk {@code getRGB}.
   */
  static RgbImage toRgb(BufferedImage image) {
    int width = image.getWidth();
    int height = image.getHeight();
    byte[] rgb = new byte[3 * width * height];
    Raster raster = image.getRaster();
    ColorModel colorModel = image.getColorModel();
    if (raster.getDataBuffer() instanceof DataBufferByte buffer
        && raster.getSampleModel() instanceof ComponentSampleModel model
        && colorModel instanceof ComponentColorModel
        && raster.getParent() == null
        && raster.getSampleModelTranslateX() == 0
        && raster.getSampleModelTranslateY() == 0
        && buffer.getNumBanks() == 1
        && buffer.getOffset() == 0
        && (isGray(colorModel, model) || isRgb(colorModel, model))) {
      copyInterleaved(buffer.getData(), model, width, height, rgb);
    } else {
      int[] argb = image.getRGB(0, 0, width, height, null, 0, width);
      for (int i = 0, o = 0; i < argb.length; i++, o += 3) {
        rgb[o] = (byte) (argb[i] >> 16);
        rgb[o + 1] = (byte) (argb[i] >> 8);
        rgb[o + 2] = (byte) argb[i];
      }
    }
    return new RgbImage(width, height, rgb);
  }

  private static boolean isGray(ColorModel colorModel, ComponentSampleModel model) {
    return colorModel.getColorSpace().getType() == ColorSpace.TYPE_GRAY
        && model.getNumBands() == 1
        && colorModel.getComponentSize(0) == 8;
  }

  private static boolean isRgb(ColorModel colorModel, ComponentSampleModel model) {
    int bands = model.getNumBands();
    return colorModel.getColorSpace().isCS_sRGB()
        && (bands == 3
            || (bands == 4 && colorModel.hasAlpha() && !colorModel.isAlphaPremultiplied()))
        && colorModel.getComponentSize(0) == 8
        && colorModel.getComponentSize(1) == 8
        && colorModel.getComponentSize(2) == 8;
  }

  private static void copyInterleaved(
      byte[] data, ComponentSampleModel model, int width, int height, byte[] rgb) {
    int pixelStride = model.getPixelStride();
    int scanlineStride = model.getScanlineStride();
    int[] bandOffsets = model.getBandOffsets();
    int base = 0;
    int r = bandOffsets[0];
    int g = model.getNumBands() == 1 ? r : bandOffsets[1];
    int b = model.getNumBands() == 1 ? r : bandOffsets[2];
    int o = 0;
    for (int y = 0; y < height; y++, base += scanlineStride) {
      for (int x = 0, i = base; x < width; x++, i += pixelStride, o += 3) {
        rgb[o] = data[i + r];
        rgb[o + 1] = data[i + g];
        rgb[o + 2] = data[i + b];
      }
    }
  }

  /** One reader per format and thread, with the warning of the last read. */
  private static final class Readers {
    private ImageReader jpeg;
    private ImageReader png;
    private HalfSizeJpegDecoder halfSize;
    private String warning;

    HalfSizeJpegDecoder halfSize() {
      if (halfSize == null) {
        halfSize = new HalfSizeJpegDecoder();
      }
      return halfSize;
    }

    ImageReader reader(FrameEncoding encoding) {
      if (encoding == FrameEncoding.JPEG) {
        if (jpeg == null) {
          jpeg = create("jpeg");
        }
        return jpeg;
      }
      if (png == null) {
        png = create("png");
      }
      return png;
    }

    /**
     * Prefers the JDK's own reader: a plugin arriving on the classpath (TwelveMonkeys registers
     * first) would otherwise take over silently, measured slower for baseline JPEG.
     */
    private ImageReader create(String format) {
      ImageReader reader = null;
      for (Iterator<ImageReader> found = ImageIO.getImageReadersByFormatName(format);
          found.hasNext(); ) {
        ImageReader candidate = found.next();
        boolean jdk = candidate.getClass().getName().startsWith("com.sun.imageio.plugins.");
        if (reader == null || jdk) {
          reader = candidate;
        }
        if (jdk) {
          break;
        }
      }
      if (reader == null) {
        throw new IllegalStateException("no ImageIO reader for " + format);
      }
      reader.addIIOReadWarningListener((source, message) -> warning = message);
      return reader;
    }
  }
}
