package streaminfer.source;

import java.awt.image.BufferedImage;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * Decodes the video stream of a file with FFmpeg (through JavaCV), one frame at a time, as 8-bit
 * {@link BufferedImage#TYPE_3BYTE_BGR} images: the type {@link MovingShapes} draws and {@link
 * JpegEncoder} takes. Audio and subtitle streams are skipped.
 *
 * <p>Owns native FFmpeg contexts: use it in try-with-resources. The first instance in a JVM loads
 * FFmpeg's shared libraries, which JavaCPP extracts to {@code ~/.javacpp/cache} on first use.
 *
 * <p>Not thread-safe: one instance per stream, read by one thread.
 */
public final class VideoFile implements AutoCloseable {
  // JavaCV reports FFmpeg failures as "<function>() error <AVERROR code>: ..." without the text.
  private static final Pattern ERROR_CODE = Pattern.compile("\\(\\) error (-?\\d+)");

  private final Path file;
  private final FFmpegFrameGrabber grabber;
  // Reuses one BufferedImage per size: next() hands out that image, overwritten on the next call.
  private final Java2DFrameConverter converter = new Java2DFrameConverter();
  private final int width;
  private final int height;
  private boolean closed;

  /**
   * Opens {@code file} and reads its header.
   *
   * @throws UncheckedIOException naming the file and the reason: it is missing (the cause is a
   *     {@link NoSuchFileException}), FFmpeg cannot open or parse it (FFmpeg's error text; the
   *     cause carries JavaCV's full message), or it has no video stream
   */
  public VideoFile(Path file) {
    this.file = Objects.requireNonNull(file, "file");
    // FFmpeg's own message for a missing file is "error -2: Could not open input"; say it plainly.
    if (!Files.exists(file)) {
      throw new UncheckedIOException(
          "Cannot open video " + file + ": no such file", new NoSuchFileException(file.toString()));
    }
    if (!Files.isRegularFile(file)) {
      String message = "Cannot open video " + file + ": not a regular file";
      throw new UncheckedIOException(message, new IOException(message));
    }
    grabber = new FFmpegFrameGrabber(file.toFile());
    // BGR24 is what Java2DFrameConverter turns into TYPE_3BYTE_BGR without a channel swap.
    grabber.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
    try {
      grabber.start();
    } catch (FrameGrabber.Exception e) {
      throw failure("Cannot open video " + file + ": " + reason(e), e);
    }
    width = grabber.getImageWidth();
    height = grabber.getImageHeight();
    if (width <= 0 || height <= 0) {
      throw failure("Cannot open video " + file + ": no video stream", null);
    }
  }

  /** The decoded frame width in pixels. */
  public int width() {
    return width;
  }

  /** The decoded frame height in pixels. */
  public int height() {
    return height;
  }

  /** Frames per second declared by the file, empty if the container does not say. */
  public OptionalDouble frameRate() {
    double rate = grabber.getVideoFrameRate();
    return rate > 0 && Double.isFinite(rate) ? OptionalDouble.of(rate) : OptionalDouble.empty();
  }

  /**
   * Number of video frames, empty if unknown. FFmpeg takes it from the container's frame count or
   * estimates it from duration times frame rate, so treat it as a hint, not as the number of times
   * {@link #next()} will return a frame.
   */
  public OptionalLong frameCount() {
    long count = grabber.getLengthInFrames();
    return count > 0 ? OptionalLong.of(count) : OptionalLong.empty();
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
    Frame frame;
    try {
      frame = grabber.grabImage();
    } catch (FrameGrabber.Exception e) {
      throw new UncheckedIOException("Cannot read video " + file + ": " + reason(e), e);
    }
    if (frame == null || frame.image == null) {
      return Optional.empty();
    }
    return Optional.of(converter.convert(frame));
  }

  /** Releases the FFmpeg contexts. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    converter.close();
    try {
      grabber.close();
    } catch (FrameGrabber.Exception e) {
      throw new UncheckedIOException("Cannot close video " + file + ": " + e.getMessage(), e);
    }
  }

  /** FFmpeg's own words for the error code in {@code e}, or JavaCV's message if it has none. */
  private static String reason(FrameGrabber.Exception e) {
    String message = String.valueOf(e.getMessage());
    Matcher code = ERROR_CODE.matcher(message);
    if (code.find()) {
      byte[] text = new byte[256];
      if (avutil.av_strerror(Integer.parseInt(code.group(1)), text, text.length) == 0) {
        int end = 0;
        while (end < text.length && text[end] != 0) {
          end++;
        }
        return new String(text, 0, end, StandardCharsets.UTF_8);
      }
    }
    return message;
  }

  /** Releases what the constructor opened, then returns the exception it should throw. */
  private UncheckedIOException failure(String message, IOException cause) {
    UncheckedIOException failure =
        new UncheckedIOException(message, cause != null ? cause : new IOException(message));
    try {
      grabber.close();
    } catch (FrameGrabber.Exception e) {
      failure.addSuppressed(e);
    }
    converter.close();
    return failure;
  }
}
