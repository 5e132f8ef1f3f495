package streaminfer.testcontainers;

import com.github.dockerjava.api.exception.NotFoundException;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.utility.DockerImageName;

/**
 * Runs a test only where a Docker engine answers and the engine's image is built there; otherwise
 * disables it and prints why, since Surefire's console shows a skip but not its reason.
 */
final class EngineImageAvailable implements ExecutionCondition {
  /** The image under test: {@code -Dstreaminfer.image=...}, or this version's CPU image. */
  static DockerImageName image() {
    return Optional.ofNullable(System.getProperty("streaminfer.image"))
        .map(DockerImageName::parse)
        .orElseGet(EngineImage::defaultName);
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Optional<String> missing = missing();
    if (missing.isEmpty()) {
      return ConditionEvaluationResult.enabled("Docker answers and the engine's image is built");
    }
    System.out.println("SKIPPED " + context.getDisplayName() + ": " + missing.get());
    return ConditionEvaluationResult.disabled(missing.get());
  }

  private static Optional<String> missing() {
    if (!DockerClientFactory.instance().isDockerAvailable()) {
      return Optional.of(
          "no Docker engine answers here (DOCKER_HOST or /var/run/docker.sock; what Testcontainers"
              + " tried: -Dorg.slf4j.simpleLogger.log.org.testcontainers.dockerclient=debug)");
    }
    String image = image().asCanonicalNameString();
    try {
      DockerClientFactory.instance().client().inspectImageCmd(image).exec();
      return Optional.empty();
    } catch (NotFoundException e) {
      return Optional.of(
          "image "
              + image
              + " is not built: docker build -f docker/Dockerfile -t "
              + image
              + " . (from the repository root)");
    }
  }
}
