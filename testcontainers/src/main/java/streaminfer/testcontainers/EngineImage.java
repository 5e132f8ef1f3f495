package streaminfer.testcontainers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.testcontainers.utility.DockerImageName;

/**
 * What the engine's image ({@code docker/Dockerfile}) holds and where: these are the image's facts,
 * not choices of this library, and {@code RepositoryFilesTest} checks them against the Dockerfile
 * and the Kubernetes overlay that name them too.
 */
public final class EngineImage {
  /** The repository the Dockerfile's images are tagged under. */
  public static final String REPOSITORY = "streaminfer";

  /** The file the image's {@code STREAMINFER_CONFIG} names: a file copied here replaces it. */
  public static final String CONFIG_FILE = "/etc/streaminfer/streaminfer.yaml";

  /** The image's model repository ({@code <name>/<version>/model.onnx + model.json}). */
  public static final String MODELS_DIR = "/models";

  /** The port the image exposes for health and metrics. */
  public static final int OPS_PORT = 8080;

  private static final String VERSION_RESOURCE = "/streaminfer-testcontainers.properties";

  private EngineImage() {}

  /**
   * The CPU image of the engine version this artifact was built with, as a release is tagged
   * ({@code streaminfer:0.1.0-cpu}; see docker/README.md, "Pushing for Kubernetes").
   */
  public static DockerImageName defaultName() {
    return DockerImageName.parse(REPOSITORY + ":" + releaseVersion() + "-cpu");
  }

  /** The engine version without {@code -SNAPSHOT}: release tags never carry it. */
  static String releaseVersion() {
    Properties properties = new Properties();
    try (InputStream in = EngineImage.class.getResourceAsStream(VERSION_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(VERSION_RESOURCE + " is missing from the class path");
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties.getProperty("engine.version").replaceFirst("-SNAPSHOT$", "");
  }
}
