package streaminfer.family.ssd;

import java.nio.ByteBuffer;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JPEG straight to RGB at half its size: FFmpeg's MJPEG decoder (SIMD IDCT, about 0.15 ms for a
 * 320x320 frame against 0.55 ms for the JDK's reader with its colour conversion) gives Y, Cb and Cr
 * planes; each output pixel is the 2x2 mean of the luma and the chroma over the same 2x2 block,
 * converted to RGB once (JFIF full-range BT.601) and rounded.
 *
 * <p>That is the model's bilinear resize for an exact 2x shrink (half-pixel centres, no antialias:
 * the 2x2 mean) done before the colour conversion instead of after; the conversion is affine, so
 * the two differ only by rounding, by clamping of out-of-gamut pixels, and by chroma upsampling: a
 * 4:2:0 chroma sample already covers the 2x2 block here, where the JDK's libjpeg interpolates it
 * (fancy upsampling) before the mean. {@code HalfSizeJpegDecoderTest} bounds the difference.
 *
 * <p>Only what it handles exactly is taken: baseline, extended or progressive Huffman JPEGs ending
 * in their EOI marker, with even sides, decoding to 8-bit YCbCr 4:2:0, 4:2:2, 4:4:4 or gray. For
 * anything else, and whenever FFmpeg reports an error, {@link #decode} answers null and the caller
 * decodes through ImageIO, which also words the rejection of a corrupt or truncated frame.
 *
 * <p>One instance per thread: FFmpeg's context, packet and frame are reused across decodes and
 * never freed (the threads that decode are a bounded pool).
 */
final class HalfSizeJpegDecoder {
  private static final Logger log = LoggerFactory.getLogger(HalfSizeJpegDecoder.class);
  private static final boolean AVAILABLE = load();
  // JFIF's BT.601 full-range YCbCr to RGB coefficients, times 2^16, rounded.
  private static final int CR_R = 91881; // 1.402
  private static final int CB_G = 22553; // 0.344136
  private static final int CR_G = 46802; // 0.714136
  private static final int CB_B = 116130; // 1.772
  // Half of the final shift (6 bits of the sums of 64, 16 of the coefficients): round to nearest.
  private static final long ROUND = 1L << 21;

  private AVCodecContext context;
  private AVPacket packet;
  private AVFrame frame;
  private BytePointer input;
  private ByteBuffer inputView;
  private byte[] luma = new byte[0];
  private byte[] blue = new byte[0];
  private byte[] red = new byte[0];
  private int[] blueSums = new int[0];
  private int[] redSums = new int[0];
  private int[] rowSums = new int[0];

  /** Whether FFmpeg's natives loaded on this platform. */
  static boolean available() {
    return AVAILABLE;
  }

  private static boolean load() {
    try {
      return avcodec.avcodec_find_decoder(avcodec.AV_CODEC_ID_MJPEG) != null;
    } catch (Throwable e) {
      log.warn(
          "FFmpeg's MJPEG decoder is unavailable, JPEG frames decode through ImageIO: {}",
          e.toString());
      return false;
    }
  }

  /**
   * {@code data} (position to limit, not moved), a JPEG of exactly {@code width} x {@code height}
   * according to its header, as RGB at half that size; null when this decoder does not take it.
   */
  RgbImage decode(ByteBuffer data, int width, int height) {
    if (!AVAILABLE || width % 2 != 0 || height % 2 != 0 || !takes(data, width, height)) {
      return null;
    }
    if (context == null) {
      open();
    }
    int length = data.remaining();
    int padded = length + avcodec.AV_INPUT_BUFFER_PADDING_SIZE;
    if (input == null || input.capacity() < padded) {
      input = new BytePointer(padded);
      inputView = input.position(0).limit(padded).asByteBuffer();
    }
    ByteBuffer target = inputView.clear();
    target.put(data.duplicate());
    for (int i = length; i < padded; i++) {
      target.put(i, (byte) 0);
    }
    packet.data(input.position(0));
    packet.size(length);
    try {
      if (avcodec.avcodec_send_packet(context, packet) < 0
          || avcodec.avcodec_receive_frame(context, frame) < 0) {
        // The decoder may hold the failed packet's state; start the next one clean.
        avcodec.avcodec_flush_buffers(context);
        return null;
      }
      if (frame.width() != width
          || frame.height() != height
          || (frame.decode_error_flags() != 0)
          || frame.color_range() == avutil.AVCOL_RANGE_MPEG) {
        return null;
      }
      return convert(width, height);
    } finally {
      avutil.av_frame_unref(frame);
    }
  }

  private void open() {
    AVCodec codec = avcodec.avcodec_find_decoder(avcodec.AV_CODEC_ID_MJPEG);
    AVCodecContext opened = avcodec.avcodec_alloc_context3(codec);
    // One thread: frames already decode in parallel on the worker pool.
    opened.thread_count(1);
    // Errors in the entropy-coded data fail the decode instead of being concealed.
    opened.err_recognition(avcodec.AV_EF_EXPLODE | avcodec.AV_EF_BITSTREAM | avcodec.AV_EF_BUFFER);
    if (avcodec.avcodec_open2(opened, codec, (PointerPointer<?>) null) < 0) {
      throw new IllegalStateException("cannot open FFmpeg's MJPEG decoder");
    }
    packet = avcodec.av_packet_alloc();
    frame = avutil.av_frame_alloc();
    context = opened;
  }

  private RgbImage convert(int width, int height) {
    int format = frame.format();
    int chromaShiftX;
    int chromaShiftY;
    if (format == avutil.AV_PIX_FMT_YUVJ420P || format == avutil.AV_PIX_FMT_YUV420P) {
      chromaShiftX = 1;
      chromaShiftY = 1;
    } else if (format == avutil.AV_PIX_FMT_YUVJ422P || format == avutil.AV_PIX_FMT_YUV422P) {
      chromaShiftX = 1;
      chromaShiftY = 0;
    } else if (format == avutil.AV_PIX_FMT_YUVJ444P || format == avutil.AV_PIX_FMT_YUV444P) {
      chromaShiftX = 0;
      chromaShiftY = 0;
    } else if (format == avutil.AV_PIX_FMT_GRAY8) {
      return gray(width, height);
    } else {
      return null;
    }
    int lumaStride = frame.linesize(0);
    int chromaStride = frame.linesize(1);
    if (frame.linesize(2) != chromaStride || lumaStride < width) {
      return null;
    }
    int chromaRows = height >> chromaShiftY;
    luma = plane(0, lumaStride * height, luma);
    blue = plane(1, chromaStride * chromaRows, blue);
    red = plane(2, chromaStride * chromaRows, red);
    int outWidth = width / 2;
    int outHeight = height / 2;
    int[] cb = chroma(blue, chromaStride, chromaShiftX, chromaShiftY, outWidth, outHeight, 0);
    int[] cr = chroma(red, chromaStride, chromaShiftX, chromaShiftY, outWidth, outHeight, 1);
    byte[] rgb = new byte[3 * outWidth * outHeight];
    byte[] y = luma;
    int o = 0;
    int c = 0;
    for (int row = 0; row < outHeight; row++) {
      int top = 2 * row * lumaStride;
      int bottom = top + lumaStride;
      for (int x = 0; x < outWidth; x++, o += 3, c++) {
        int lx = 2 * x;
        int ySum =
            (y[top + lx] & 0xff)
                + (y[top + lx + 1] & 0xff)
                + (y[bottom + lx] & 0xff)
                + (y[bottom + lx + 1] & 0xff);
        // Fixed point: 64 times the means, coefficients times 2^16 (as libjpeg's converter).
        long luminance = ((long) ySum << 20) + ROUND;
        long u = cb[c] - 128 * 64;
        long v = cr[c] - 128 * 64;
        rgb[o] = clamp((luminance + CR_R * v) >> 22);
        rgb[o + 1] = clamp((luminance - CB_G * u - CR_G * v) >> 22);
        rgb[o + 2] = clamp((luminance + CB_B * u) >> 22);
      }
    }
    return new RgbImage(outWidth, outHeight, rgb);
  }

  /**
   * A chroma plane as 64 times its mean over each output pixel's 2x2 block of full-size pixels,
   * upsampled as libjpeg's fancy upsampling does (each full-size sample 3/4 its own chroma sample,
   * 1/4 the next one across each subsampled axis, edges replicated): averaged over the block that
   * is the separable [1 6 1] / 8 filter along each subsampled axis, and a plain 2-sample mean along
   * one that is not.
   */
  private int[] chroma(
      byte[] plane, int stride, int shiftX, int shiftY, int outWidth, int outHeight, int which) {
    int size = outWidth * outHeight;
    int[] out = which == 0 ? blueSums : redSums;
    if (out.length < size) {
      out = new int[size];
      if (which == 0) {
        blueSums = out;
      } else {
        redSums = out;
      }
    }
    int rows = outHeight << (1 - shiftY);
    int columns = outWidth << (1 - shiftX);
    if (rowSums.length < rows * outWidth) {
      rowSums = new int[rows * outWidth];
    }
    int[] across = rowSums;
    // Across: 8 times the horizontal mean per plane row, at output columns.
    for (int r = 0; r < rows; r++) {
      int base = r * stride;
      int o = r * outWidth;
      for (int x = 0; x < outWidth; x++) {
        if (shiftX == 1) {
          int left = plane[base + Math.max(x - 1, 0)] & 0xff;
          int right = plane[base + Math.min(x + 1, columns - 1)] & 0xff;
          across[o + x] = left + 6 * (plane[base + x] & 0xff) + right;
        } else {
          across[o + x] = 4 * ((plane[base + 2 * x] & 0xff) + (plane[base + 2 * x + 1] & 0xff));
        }
      }
    }
    // Down: 8 times the vertical mean of those, 64 in all.
    for (int row = 0; row < outHeight; row++) {
      int o = row * outWidth;
      if (shiftY == 1) {
        int up = Math.max(row - 1, 0) * outWidth;
        int down = Math.min(row + 1, rows - 1) * outWidth;
        for (int x = 0; x < outWidth; x++) {
          out[o + x] = across[up + x] + 6 * across[o + x] + across[down + x];
        }
      } else {
        int first = 2 * row * outWidth;
        int second = first + outWidth;
        for (int x = 0; x < outWidth; x++) {
          out[o + x] = 4 * (across[first + x] + across[second + x]);
        }
      }
    }
    return out;
  }

  private RgbImage gray(int width, int height) {
    int stride = frame.linesize(0);
    luma = plane(0, stride * height, luma);
    int outWidth = width / 2;
    int outHeight = height / 2;
    byte[] rgb = new byte[3 * outWidth * outHeight];
    byte[] y = luma;
    int o = 0;
    for (int row = 0; row < outHeight; row++) {
      int top = 2 * row * stride;
      int bottom = top + stride;
      for (int x = 0; x < outWidth; x++, o += 3) {
        int lx = 2 * x;
        int sum =
            (y[top + lx] & 0xff)
                + (y[top + lx + 1] & 0xff)
                + (y[bottom + lx] & 0xff)
                + (y[bottom + lx + 1] & 0xff);
        byte level = (byte) ((sum + 2) >> 2);
        rgb[o] = level;
        rgb[o + 1] = level;
        rgb[o + 2] = level;
      }
    }
    return new RgbImage(outWidth, outHeight, rgb);
  }

  /** Plane {@code index} of the decoded frame, {@code bytes} long, into a reused array. */
  private byte[] plane(int index, int bytes, byte[] reuse) {
    byte[] into = reuse.length >= bytes ? reuse : new byte[bytes];
    frame.data(index).capacity(bytes).get(into, 0, bytes);
    return into;
  }

  private static byte clamp(long value) {
    return (byte) (value < 0 ? 0 : Math.min(value, 255));
  }

  /**
   * Walks the markers up to the frame header: a Huffman SOF (baseline, extended, progressive) of
   * 8-bit samples and the given size, and the EOI marker last (a truncated file has none; ImageIO
   * then reports it).
   */
  static boolean takes(ByteBuffer data, int width, int height) {
    int start = data.position();
    int end = data.limit();
    if (end - start < 4
        || (data.get(start) & 0xff) != 0xFF
        || (data.get(start + 1) & 0xff) != 0xD8
        || (data.get(end - 2) & 0xff) != 0xFF
        || (data.get(end - 1) & 0xff) != 0xD9) {
      return false;
    }
    int i = start + 2;
    while (i + 4 <= end) {
      if ((data.get(i) & 0xff) != 0xFF) {
        return false;
      }
      int marker = data.get(i + 1) & 0xff;
      if (marker == 0xFF) {
        i++; // fill byte
        continue;
      }
      int length = ((data.get(i + 2) & 0xff) << 8) | (data.get(i + 3) & 0xff);
      if (length < 2) {
        return false;
      }
      if (marker == 0xC0 || marker == 0xC1 || marker == 0xC2) {
        if (length < 8 || i + 2 + length > end) {
          return false;
        }
        int precision = data.get(i + 4) & 0xff;
        int rows = ((data.get(i + 5) & 0xff) << 8) | (data.get(i + 6) & 0xff);
        int columns = ((data.get(i + 7) & 0xff) << 8) | (data.get(i + 8) & 0xff);
        return precision == 8 && rows == height && columns == width;
      }
      if (marker >= 0xC3 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8) {
        return false; // lossless, hierarchical or arithmetic-coded
      }
      if (marker == 0xDA || marker == 0xD9 || (marker >= 0xD0 && marker <= 0xD8)) {
        return false; // a scan or an end before any frame header
      }
      i += 2 + length;
    }
    return false;
  }
}
