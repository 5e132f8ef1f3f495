package streaminfer.source;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Decodes the video stream of a file with FFmpeg (libavformat and libavcodec), one frame at a time,
 * as 8-bit {@link BufferedImage#TYPE_3BYTE_BGR} images: the type {@link MovingShapes} draws and
 * {@link JpegEncoder} takes. Audio and subtitle streams are skipped.
 *
 * <p>It calls FFmpeg's C API directly rather than through JavaCV's grabber, which loads libavdevice
 * and libavfilter (and the jar would carry them) for features a frame reader never uses.
 *
 * <p>Owns native FFmpeg contexts: use it in try-with-resources. The first instance in a JVM loads
 * FFmpeg's shared libraries, which JavaCPP extracts to {@code ~/.javacpp/cache} on first use.
 *
 * <p>Not thread-safe: one instance per stream, read by one thread.
 */
public final class VideoFile implements AutoCloseable {
  // AVERROR(EAGAIN) on Linux: the decoder wants another packet before it can give a frame.
  private static final int AVERROR_EAGAIN = -11;

  private final Path file;
  private AVFormatContext format;
  private AVCodecContext decoder;
  private AVStream stream;
  private AVPacket packet;
  private AVFrame frame;
  private SwsContext converter;
  private BytePointer converted;
  // next() hands out this image, overwritten on the next call; a new one only if the size changes.
  private BufferedImage image;
  private int streamIndex;
  private boolean draining;
  private boolean ended;
  private boolean closed;

  /**
   * Opens {@code file} and reads its header.
   *
   * @throws UncheckedIOException naming the file and the reason: it is missing (the cause is a
   *     {@link NoSuchFileException}), FFmpeg cannot open or parse it (FFmpeg's error text), or it
   *     has no video stream
   */
  public VideoFile(Path file) {
    this.file = Objects.requireNonNull(file, "file");
    // FFmpeg's own message for a missing file is "No such file or directory"; say it with the path.
    if (!Files.exists(file)) {
      throw new UncheckedIOException(
          "Cannot open video " + file + ": no such file", new NoSuchFileException(file.toString()));
    }
    if (!Files.isRegularFile(file)) {
      String message = "Cannot open video " + file + ": not a regular file";
      throw new UncheckedIOException(message, new IOException(message));
    }
    try {
      open();
    } catch (UncheckedIOException e) {
      release();
      throw e;
    }
  }

  private void open() {
    format = new AVFormatContext(null);
    check(avformat.avformat_open_input(format, file.toString(), null, (AVDictionary) null), "open");
    check(avformat.avformat_find_stream_info(format, (PointerPointer<?>) null), "open");
    streamIndex =
        avformat.av_find_best_stream(
            format, avutil.AVMEDIA_TYPE_VIDEO, -1, -1, (PointerPointer<?>) null, 0);
    if (streamIndex < 0) {
      throw failure("open", "no video stream");
    }
    stream = format.streams(streamIndex);
    AVCodec codec = avcodec.avcodec_find_decoder(stream.codecpar().codec_id());
    if (codec == null) {
      throw failure("open", "no decoder for its video codec");
    }
    decoder = avcodec.avcodec_alloc_context3(codec);
    check(avcodec.avcodec_parameters_to_context(decoder, stream.codecpar()), "open");
    check(avcodec.avcodec_open2(decoder, codec, (PointerPointer<?>) null), "open");
    if (decoder.width() <= 0 || decoder.height() <= 0) {
      throw failure("open", "no video stream");
    }
    packet = avcodec.av_packet_alloc();
    frame = avutil.av_frame_alloc();
  }

  /** The decoded frame width in pixels. */
  public int width() {
    return decoder.width();
  }

  /** The decoded frame height in pixels. */
  public int height() {
    return decoder.height();
  }

  /** Frames per second declared by the file, empty if the container does not say. */
  public OptionalDouble frameRate() {
    AVRational rate = avformat.av_guess_frame_rate(format, stream, null);
    double fps = rate.den() == 0 ? 0 : avutil.av_q2d(rate);
    return fps > 0 && Double.isFinite(fps) ? OptionalDouble.of(fps) : OptionalDouble.empty();
  }

  /**
   * Number of video frames, empty if unknown: the container's frame count, else duration times
   * frame rate. Treat it as a hint, not as the number of times {@link #next()} will return a frame.
   */
  public OptionalLong frameCount() {
    if (stream.nb_frames() > 0) {
      return OptionalLong.of(stream.nb_frames());
    }
    OptionalDouble fps = frameRate();
    if (format.duration() > 0 && fps.isPresent()) {
      double seconds = format.duration() / (double) avutil.AV_TIME_BASE;
      return OptionalLong.of(Math.round(seconds * fps.getAsDouble()));
    }
    return OptionalLong.empty();
  }

  /**
   * Decodes the next video frame; empty at the end of the file.
   *
   * <p>The returned image is reused: it is valid until the next call to {@code next()} or {@link
   * #close()}. Copy it to keep it longer.
   *
   * @throws UncheckedIOException naming the file when FFmpeg fails to read or decode
   * @throws IllegalStateException after {@link #close()}
   */
  public Optional<BufferedImage> next() {
    if (closed) {
      throw new IllegalStateException("Video " + file + " is closed");
    }
    while (!ended) {
      int received = avcodec.avcodec_receive_frame(decoder, frame);
      if (received == 0) {
        try {
          return Optional.of(toBgr(frame));
        } finally {
          avutil.av_frame_unref(frame);
        }
      }
      if (received == avutil.AVERROR_EOF) {
        ended = true;
      } else if (received != AVERROR_EAGAIN) {
        throw failure("read", reason(received));
      } else {
        feedDecoder();
      }
    }
    return Optional.empty();
  }

  /** Sends the next packet of the video stream, or the end-of-stream flush once the file ends. */
  private void feedDecoder() {
    while (true) {
      int read = avformat.av_read_frame(format, packet);
      if (read == avutil.AVERROR_EOF) {
        if (!draining) {
          draining = true;
          check(avcodec.avcodec_send_packet(decoder, null), "read");
        }
        return;
      }
      check(read, "read");
      try {
        if (packet.stream_index() == streamIndex) {
          check(avcodec.avcodec_send_packet(decoder, packet), "read");
          return;
        }
      } finally {
        avcodec.av_packet_unref(packet);
      }
    }
  }

  private BufferedImage toBgr(AVFrame decoded) {
    int width = decoded.width();
    int height = decoded.height();
    if (image == null || image.getWidth() != width || image.getHeight() != height) {
      image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
      if (converted != null) {
        converted.close();
      }
      converted = new BytePointer((long) width * height * 3);
    }
    converter =
        swscale.sws_getCachedContext(
            converter,
            width,
            height,
            decoded.format(),
            width,
            height,
            avutil.AV_PIX_FMT_BGR24,
            swscale.SWS_BILINEAR,
            null,
            null,
            (DoublePointer) null);
    if (converter == null) {
      throw failure("read", "no conversion from its pixel format to BGR");
    }
    try (PointerPointer<BytePointer> planes = new PointerPointer<>(converted, null, null, null);
        IntPointer strides = new IntPointer(width * 3, 0, 0, 0)) {
      swscale.sws_scale(converter, decoded.data(), decoded.linesize(), 0, height, planes, strides);
    }
    converted.get(((DataBufferByte) image.getRaster().getDataBuffer()).getData());
    return image;
  }

  /** Releases the FFmpeg contexts. Idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      release();
    }
  }

  private void release() {
    if (converter != null) {
      swscale.sws_freeContext(converter);
      converter = null;
    }
    if (converted != null) {
      converted.close();
    }
    if (frame != null) {
      avutil.av_frame_free(frame);
    }
    if (packet != null) {
      avcodec.av_packet_free(packet);
    }
    if (decoder != null) {
      avcodec.avcodec_free_context(decoder);
    }
    if (format != null && !format.isNull()) {
      avformat.avformat_close_input(format);
    }
  }

  private void check(int result, String action) {
    if (result < 0) {
      throw failure(action, reason(result));
    }
  }

  private UncheckedIOException failure(String action, String reason) {
    String message = "Cannot " + action + " video " + file + ": " + reason;
    return new UncheckedIOException(message, new IOException(message));
  }

  /** FFmpeg's own words for an error code. */
  private static String reason(int error) {
    byte[] text = new byte[256];
    if (avutil.av_strerror(error, text, text.length) != 0) {
      return "FFmpeg error " + error;
    }
    int end = 0;
    while (end < text.length && text[end] != 0) {
      end++;
    }
    return new String(text, 0, end, StandardCharsets.US_ASCII);
  }
}
