package streaminfer.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/** What the packaged jar (and so the image) carries: linux-x86_64 natives only, under 80 MB. */
class ShadedJarIT {
  private static final Path JAR = Path.of("target/streaminfer.jar");
  private static final long LIMIT_BYTES = 80L * 1000 * 1000;

  @Test
  void theJarIsUnderEightyMegabytes() throws Exception {
    long size = Files.size(JAR);
    System.out.printf("target/streaminfer.jar: %.1f MB%n", size / 1e6);
    assertTrue(size < LIMIT_BYTES, "jar is " + size + " bytes");
  }

  @Test
  void everyNativeLibraryIsForLinuxX8664() throws Exception {
    Set<String> foreign = new TreeSet<>();
    Set<String> natives = new TreeSet<>();
    try (ZipFile jar = new ZipFile(JAR.toFile())) {
      for (ZipEntry entry : jar.stream().toList()) {
        String name = entry.getName();
        if (name.endsWith(".so")
            || name.contains(".so.")
            || name.endsWith(".dylib")
            || name.endsWith(".dll")
            || name.endsWith(".jnilib")) {
          natives.add(name);
          boolean linuxX64 =
              name.contains("linux-x86_64")
                  || name.contains("linux-x64")
                  || name.contains("linux/amd64")
                  || name.contains("Linux/x86_64");
          if (!linuxX64) {
            foreign.add(name);
          }
        }
      }
    }
    assertTrue(foreign.isEmpty(), "natives for other platforms: " + foreign);
    for (String needed :
        List.of(
            "ai/onnxruntime/native/linux-x64/libonnxruntime.so",
            "org/bytedeco/ffmpeg/linux-x86_64/libavcodec.so.62",
            "org/bytedeco/ffmpeg/linux-x86_64/libavformat.so.62",
            "org/bytedeco/ffmpeg/linux-x86_64/libswscale.so.9")) {
      assertTrue(natives.contains(needed), needed + " is in the jar");
    }
    assertEquals(
        Set.of(),
        natives.stream()
            .filter(n -> n.contains("avfilter") || n.contains("avdevice"))
            .collect(java.util.stream.Collectors.toSet()),
        "FFmpeg's filter and device libraries stay out");
  }
}
