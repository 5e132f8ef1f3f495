package streaminfer.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar leaves out FFmpeg's filter and device libraries and JavaCV: a video still decodes with
 * only what the jar carries. Tests write their videos with JavaCV, so this one reads in a JVM of
 * its own whose class path is the shaded jar and the probe class.
 */
class VideoFileFromShadedJarIT {
  @TempDir Path directory;

  @Test
  void decodesAVideoWithOnlyTheShadedJarOnTheClassPath() throws Exception {
    Path video = SquareVideo.write(directory.resolve("square.mp4"));
    Path output = directory.resolve("probe.out");
    Process probe =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    "target/streaminfer.jar" + java.io.File.pathSeparator + "target/test-classes",
                    VideoFileProbe.class.getName(),
                    video.toString()))
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    assertTrue(probe.waitFor(2, TimeUnit.MINUTES), "the probe finished");
    String printed = Files.readString(output, StandardCharsets.UTF_8);
    assertEquals(0, probe.exitValue(), printed);
    Matcher found =
        Pattern.compile("frames=(\\d+) size=(\\d+)x(\\d+) bright=(\\d+)").matcher(printed);
    assertTrue(found.find(), printed);
    assertEquals(SquareVideo.FRAMES, Integer.parseInt(found.group(1)), printed);
    assertEquals(SquareVideo.WIDTH, Integer.parseInt(found.group(2)), printed);
    assertEquals(SquareVideo.HEIGHT, Integer.parseInt(found.group(3)), printed);
    long square = (long) SquareVideo.FRAMES * SquareVideo.SIDE * SquareVideo.SIDE;
    assertEquals(square, Long.parseLong(found.group(4)), square / 10.0, printed);
  }
}
