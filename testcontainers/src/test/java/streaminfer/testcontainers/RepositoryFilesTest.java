package streaminfer.testcontainers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.testcontainers.utility.DockerImageName;

/**
 * What this artifact assumes about the engine and its image, checked against the repository's files
 * (this project lives in the engine's repository, one folder down): a change there that would break
 * users' containers fails here.
 */
class RepositoryFilesTest {
  private static final Path REPOSITORY = Path.of("..");

  @Test
  void theConfigFileIsCopiedWhereTheImagePointsTheEngine() throws IOException {
    String dockerfile = read("docker/Dockerfile");
    assertEquals(
        EngineImage.CONFIG_FILE, single(dockerfile, "(?m)^ENV STREAMINFER_CONFIG=(\\S+)$"));
    // The variable is the engine's default for --config, so the image's plain `serve` reads it.
    assertTrue(
        read("src/main/java/streaminfer/cli/ConfigOptions.java")
            .contains("\"${env:STREAMINFER_CONFIG}\""));
  }

  @Test
  void theEntrypointPassesTheContainersCommandToTheJarAndTheImageServesByDefault()
      throws IOException {
    assertTrue(
        read("docker/entrypoint.sh").contains("-jar /opt/streaminfer/streaminfer.jar \"$@\""));
    assertTrue(read("docker/Dockerfile").contains("CMD [\"serve\"]"));
  }

  @Test
  void theModelsDirectoryIsWhereTheImageCopiesItsModels() throws IOException {
    assertEquals(
        EngineImage.MODELS_DIR + "/",
        single(read("docker/Dockerfile"), "(?m)^COPY models/ (\\S+)$"));
  }

  @Test
  void theOpsPortIsTheOneTheImageExposes() throws IOException {
    assertEquals(
        Integer.toString(EngineImage.OPS_PORT),
        single(read("docker/Dockerfile"), "(?m)^EXPOSE (\\d+)$"));
  }

  @Test
  void theHealthAndMetricsPathsAreServedByTheEngine() throws IOException {
    String opsServer = read("src/main/java/streaminfer/ops/OpsServer.java");
    for (String path :
        new String[] {OpsEndpoints.READINESS, OpsEndpoints.LIVENESS, OpsEndpoints.METRICS}) {
      assertTrue(
          opsServer.contains("router.route(\"" + path + "\")"),
          path + " is not routed by OpsServer");
    }
    assertTrue(
        opsServer.contains(
            "route(\"/health/ready\").handler(context -> check(context.request(), readiness))"),
        "/health/ready must answer with the readiness checks");
  }

  @Test
  void theOverriddenKeysAreTheEnginesOwn() throws IOException {
    String loader = read("src/main/java/streaminfer/config/ConfigLoader.java");
    for (String key :
        new String[] {"\"bindAddress\"", "\"port\"", "\"dir\"", "\"embeddedBroker\""}) {
      assertTrue(loader.contains(key), key + " is not read by ConfigLoader");
    }
    assertTrue(
        read("src/main/java/streaminfer/config/EnvironmentOverrides.java")
            .contains("PREFIX = \"" + ConfigOverrides.PREFIX + "\""));
  }

  @Test
  void theDefaultImageIsTheTagTheCpuOverlayDeploys() throws IOException {
    String overlay = read("k8s/overlays/cpu/kustomization.yaml");
    String tag = single(overlay, "(?m)^\\s*newTag:\\s*(\\S+)");
    assertEquals(
        DockerImageName.parse(EngineImage.REPOSITORY + ":" + tag), EngineImage.defaultName());
  }

  @Test
  void thisArtifactHasTheEnginesGroupAndVersion() throws IOException {
    String enginePom = read("pom.xml");
    String ownPom = read("testcontainers/pom.xml");
    String coordinates = "(?s)<modelVersion>.*?<groupId>(.*?)</groupId>.*?<version>(.*?)</version>";
    Matcher engine = Pattern.compile(coordinates).matcher(enginePom);
    Matcher own = Pattern.compile(coordinates).matcher(ownPom);
    assertTrue(engine.find() && own.find());
    assertEquals(engine.group(1), own.group(1));
    assertEquals(engine.group(2), own.group(2));
  }

  private static String read(String path) throws IOException {
    return Files.readString(REPOSITORY.resolve(path));
  }

  private static String single(String text, String regex) {
    Matcher matcher = Pattern.compile(regex).matcher(text);
    assertTrue(matcher.find(), "no match for " + regex);
    String value = matcher.group(1);
    assertTrue(!matcher.find(), "more than one match for " + regex);
    return value;
  }
}
