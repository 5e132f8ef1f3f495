package streaminfer.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoFileTest {
  private static final int WIDTH = 160;
  private static final int HEIGHT = 120;
  private static final int FRAMES = 30;
  private static final int SIDE = 20;

  @TempDir Path directory;

  @BeforeAll
  static void quietFfmpeg() {
    // FFmpeg logs every stream header it opens or writes at INFO level to stderr.
    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
  }

  // The square's top-left corner in frame k: it moves 4 px right and 2 px down per frame.
  private static int squareX(int k) {
    return 10 + 4 * k;
  }

  private static int squareY(int k) {
    return 20 + 2 * k;
  }

  /**
   * Writes FRAMES frames of a white square moving over black, as MPEG-4 Part 2 in MP4 at 30 fps (an
   * encoder the LGPL FFmpeg build has).
   */
  private Path writeVideo() throws Exception {
    Path file = directory.resolve("square.mp4");
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_3BYTE_BGR);
    try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), WIDTH, HEIGHT, 0);
        Java2DFrameConverter converter = new Java2DFrameConverter()) {
      recorder.setFormat("mp4");
      recorder.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
      recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
      recorder.setFrameRate(30);
      recorder.setVideoQuality(2); // qscale: near-lossless, so edges stay where they were drawn
      recorder.start();
      for (int k = 0; k < FRAMES; k++) {
        Graphics2D g = image.createGraphics();
        try {
          g.setColor(Color.BLACK);
          g.fillRect(0, 0, WIDTH, HEIGHT);
          g.setColor(Color.WHITE);
          g.fillRect(squareX(k), squareY(k), SIDE, SIDE);
        } finally {
          g.dispose();
        }
        recorder.record(converter.convert(image));
      }
      recorder.stop();
    }
    return file;
  }

  /** Centre of the pixels brighter than mid-grey, as {x, y}. */
  private static double[] brightCentroid(BufferedImage image) {
    double sumX = 0;
    double sumY = 0;
    int count = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y);
        int r = (rgb >> 16) & 0xFF;
        int g = (rgb >> 8) & 0xFF;
        int b = rgb & 0xFF;
        if (r > 128 && g > 128 && b > 128) {
          sumX += x;
          sumY += y;
          count++;
        }
      }
    }
    assertTrue(
        Math.abs(count - SIDE * SIDE) < SIDE * 4, "bright pixels: " + count + ", a square of 400");
    return new double[] {sumX / count, sumY / count};
  }

  @Test
  void readsBackTheFramesSizeAndRateThatWereWritten() throws Exception {
    Path file = writeVideo();
    try (VideoFile video = new VideoFile(file)) {
      assertEquals(WIDTH, video.width());
      assertEquals(HEIGHT, video.height());
      assertEquals(30.0, video.frameRate().orElseThrow(), 0.01);
      assertEquals(OptionalLong.of(FRAMES), video.frameCount()); // MP4 stores it in the header
      BufferedImage first = null;
      int frames = 0;
      for (Optional<BufferedImage> frame = video.next(); frame.isPresent(); frame = video.next()) {
        BufferedImage image = frame.get();
        if (first == null) {
          first = image;
        }
        assertSame(first, image, "next() reuses one image");
        assertEquals(BufferedImage.TYPE_3BYTE_BGR, image.getType());
        assertEquals(WIDTH, image.getWidth());
        assertEquals(HEIGHT, image.getHeight());
        double[] centre = brightCentroid(image);
        double halfSide = (SIDE - 1) / 2.0;
        assertEquals(squareX(frames) + halfSide, centre[0], 1.0, "x of the square in " + frames);
        assertEquals(squareY(frames) + halfSide, centre[1], 1.0, "y of the square in " + frames);
        frames++;
      }
      assertEquals(FRAMES, frames);
      assertTrue(video.next().isEmpty(), "stays at the end");
    }
  }

  @Test
  void aMissingFileFailsNamingIt() {
    Path missing = directory.resolve("street.mp4");
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> new VideoFile(missing));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    assertTrue(e.getCause() instanceof NoSuchFileException, e.getCause().toString());
  }

  @Test
  void aFileThatIsNotVideoFailsNamingItAndFfmpegsReason() throws Exception {
    Path garbage = directory.resolve("notes.mp4");
    Files.writeString(garbage, "not a video", StandardCharsets.US_ASCII);
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> new VideoFile(garbage));
    assertTrue(e.getMessage().contains(garbage.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("Invalid data found when processing input"), e.getMessage());
  }
}
