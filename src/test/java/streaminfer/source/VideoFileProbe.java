package streaminfer.source;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Decodes a video and prints what it found, for {@link VideoFileFromShadedJarIT} to run in a JVM
 * whose class path is only the shaded jar (and this class).
 */
final class VideoFileProbe {
  private VideoFileProbe() {}

  public static void main(String[] args) {
    try (VideoFile video = new VideoFile(Path.of(args[0]))) {
      int frames = 0;
      long brightPixels = 0;
      for (Optional<BufferedImage> frame = video.next(); frame.isPresent(); frame = video.next()) {
        frames++;
        BufferedImage image = frame.get();
        for (int y = 0; y < image.getHeight(); y++) {
          for (int x = 0; x < image.getWidth(); x++) {
            if ((image.getRGB(x, y) & 0xFF) > 128) {
              brightPixels++;
            }
          }
        }
      }
      System.out.printf(
          "frames=%d size=%dx%d bright=%d%n", frames, video.width(), video.height(), brightPixels);
    }
  }
}
