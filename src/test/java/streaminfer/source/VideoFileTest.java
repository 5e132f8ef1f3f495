package streaminfer.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoFileTest {
  @TempDir Path directory;

  @BeforeAll
  static void quietFfmpeg() {
    // FFmpeg logs every stream header it opens or writes at INFO level to stderr.
    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
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
        Math.abs(count - SquareVideo.SIDE * SquareVideo.SIDE) < SquareVideo.SIDE * 4,
        "bright pixels: " + count + ", a square of 400");
    return new double[] {sumX / count, sumY / count};
  }

  @Test
  void readsBackTheFramesSizeAndRateThatWereWritten() throws Exception {
    Path file = SquareVideo.write(directory.resolve("square.mp4"));
    try (VideoFile video = new VideoFile(file)) {
      assertEquals(SquareVideo.WIDTH, video.width());
      assertEquals(SquareVideo.HEIGHT, video.height());
      assertEquals(30.0, video.frameRate().orElseThrow(), 0.01);
      assertEquals(
          OptionalLong.of(SquareVideo.FRAMES), video.frameCount()); // MP4 stores it in the header
      BufferedImage first = null;
      int frames = 0;
      for (Optional<BufferedImage> frame = video.next(); frame.isPresent(); frame = video.next()) {
        BufferedImage image = frame.get();
        if (first == null) {
          first = image;
        }
        assertSame(first, image, "next() reuses one image");
        assertEquals(BufferedImage.TYPE_3BYTE_BGR, image.getType());
        assertEquals(SquareVideo.WIDTH, image.getWidth());
        assertEquals(SquareVideo.HEIGHT, image.getHeight());
        double[] centre = brightCentroid(image);
        double halfSide = (SquareVideo.SIDE - 1) / 2.0;
        assertEquals(
            SquareVideo.squareX(frames) + halfSide, centre[0], 1.0, "x of the square in " + frames);
        assertEquals(
            SquareVideo.squareY(frames) + halfSide, centre[1], 1.0, "y of the square in " + frames);
        frames++;
      }
      assertEquals(SquareVideo.FRAMES, frames);
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
