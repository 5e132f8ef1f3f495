package streaminfer.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What can be checked of the images without a Docker engine: the jar the build writes is the one
 * the image copies and the entrypoint runs, the user is a numeric non-root one, and the entrypoint
 * gives the JVM the memory split it documents.
 */
class ContainerImageTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"docker/Dockerfile", "docker/Dockerfile.cuda"})
  void copiesTheJarTheBuildWritesAndRunsItAsANumericNonRootUser(String dockerfile)
      throws Exception {
    String text = Files.readString(Path.of(dockerfile));
    String finalName =
        match(Files.readString(Path.of("pom.xml")), "<finalName>([^<]+)</finalName>");
    assertTrue(
        text.contains("COPY --from=build /src/target/" + finalName + ".jar ./streaminfer.jar"),
        dockerfile + " copies target/" + finalName + ".jar");
    assertTrue(text.contains("WORKDIR /opt/streaminfer"), dockerfile);
    String user = match(text, "(?m)^USER (\\S+)$");
    assertTrue(user.matches("\\d+") && !user.equals("0"), "USER " + user + " in " + dockerfile);
    assertTrue(
        text.contains("ENTRYPOINT [\"/opt/streaminfer/entrypoint.sh\"]"),
        dockerfile + " entrypoint");
  }

  /**
   * No registry is reachable here to resolve digests (docker/README.md says how to pin them where
   * one is), so this holds the bases to the next best thing: an explicit version, never a moving
   * {@code latest} or an untagged name; a digest, once written, must be a full sha256.
   */
  @ParameterizedTest
  @ValueSource(strings = {"docker/Dockerfile", "docker/Dockerfile.cuda"})
  void everyBaseImageNamesAVersionOrADigest(String dockerfile) throws Exception {
    String text = Files.readString(Path.of(dockerfile));
    Matcher from = Pattern.compile("(?m)^FROM (\\S+)( AS (\\S+))?$").matcher(text);
    List<String> stages = new ArrayList<>();
    int bases = 0;
    while (from.find()) {
      String image = from.group(1);
      if (!stages.contains(image)) {
        bases++;
        String[] digest = image.split("@", 2);
        if (digest.length == 2) {
          assertTrue(digest[1].matches("sha256:[0-9a-f]{64}"), image + " in " + dockerfile);
        }
        String name = digest[0];
        String tag = name.contains(":") ? name.substring(name.lastIndexOf(':') + 1) : "";
        assertTrue(
            digest.length == 2 || (tag.matches(".*\\d.*") && !tag.contains("latest")),
            image + " in " + dockerfile + " names no version");
      }
      if (from.group(3) != null) {
        stages.add(from.group(3));
      }
    }
    assertTrue(bases >= 2, dockerfile + ": a build stage and a runtime base");
  }

  @Test
  void theEntrypointExecsJavaWithHalfTheLimitAsHeapAndTheUsersOptionsLast() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path fakeJava = bin.resolve("java");
    Files.writeString(fakeJava, "#!/bin/sh\necho \"$@\"\n");
    Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwxr-xr-x"));
    ProcessBuilder builder =
        new ProcessBuilder("sh", "docker/entrypoint.sh", "serve", "--demo")
            .redirectErrorStream(true);
    builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    builder.environment().put("JAVA_OPTS", "-XX:MaxRAMPercentage=40 -Dx=y");
    Process process = builder.start();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    String line = new String(process.getInputStream().readAllBytes()).trim();
    assertEquals(0, process.exitValue(), line);
    List<String> args = List.of(line.split(" "));
    assertEquals("-XX:MaxRAMPercentage=50", args.get(0), line);
    assertTrue(args.contains("-XX:+ExitOnOutOfMemoryError"), line);
    int users = args.indexOf("-XX:MaxRAMPercentage=40");
    int jar = args.indexOf("-jar");
    assertTrue(users > 0 && users < jar, "the user's options come after the image's: " + line);
    assertEquals(
        List.of("/opt/streaminfer/streaminfer.jar", "serve", "--demo"),
        args.subList(jar + 1, args.size()),
        line);
  }

  private static String match(String text, String regex) {
    Matcher matcher = Pattern.compile(regex).matcher(text);
    assertTrue(matcher.find(), regex);
    return matcher.group(1);
  }
}
