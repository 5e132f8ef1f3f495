package streaminfer.testcontainers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The streaminfer engine's image ({@code docker/Dockerfile}) as a Testcontainers container, for
 * integration tests of one's own pipelines: give it a configuration file and a Kafka container,
 * start it, and it is ready when the engine's readiness check passes (models loaded and warmed up,
 * every pipeline's consumer in its group).
 *
 * <pre>{@code
 * KafkaContainer kafka = new KafkaContainer("apache/kafka:4.0.0");
 * StreamInferContainer engine =
 *     new StreamInferContainer().withKafka(kafka).withConfigFile(Path.of("my-pipelines.yaml"));
 * engine.start(); // starts kafka first
 * }</pre>
 */
public class StreamInferContainer extends GenericContainer<StreamInferContainer> {
  /** Loading and warming up models takes a while on a cold JVM, more on a busy CI machine. */
  public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofMinutes(3);

  /** The engine's name on the container network (its metrics are scraped at this name). */
  public static final String NETWORK_ALIAS = "streaminfer";

  /** The Kafka container's name on the network, and the listener it advertises there. */
  public static final String KAFKA_NETWORK_ALIAS = "streaminfer-kafka";

  public static final int KAFKA_NETWORK_PORT = 19092;

  private static final int READABLE_BY_ALL = 0644;

  private final DockerImageName imageName;

  /** The CPU image of this artifact's engine version ({@link EngineImage#defaultName()}). */
  public StreamInferContainer() {
    this(EngineImage.defaultName());
  }

  /**
   * @param imageName another tag or registry, e.g. {@code
   *     registry.example.com/streaminfer:0.1.0-cuda}
   */
  public StreamInferContainer(String imageName) {
    this(DockerImageName.parse(imageName));
  }

  public StreamInferContainer(DockerImageName imageName) {
    super(imageName);
    this.imageName = imageName;
    withExposedPorts(EngineImage.OPS_PORT);
    withNetworkAliases(NETWORK_ALIAS);
    // The engine binds loopback unless configured, and a user's file (say one written for
    // `make run`) may do so or pick another port; the mapped port reaches only 0.0.0.0:8080.
    withConfigOverride("ops.bindAddress", "0.0.0.0");
    withConfigOverride("ops.port", Integer.toString(EngineImage.OPS_PORT));
    // The image keeps its models in /models, while the engine's default is ./models: a file that
    // does not say models.dir would find no models inside the container.
    withConfigOverride("models.dir", EngineImage.MODELS_DIR);
    waitingFor(OpsEndpoints.readiness(DEFAULT_STARTUP_TIMEOUT));
  }

  /**
   * Serves this configuration file instead of the image's ({@code docker/streaminfer.yaml}: the
   * {@code dgex} pipeline). The file is copied, not bound, so it works with a remote Docker engine
   * too; it is made readable for the image's non-root user.
   */
  public StreamInferContainer withConfigFile(Path configFile) {
    if (!Files.isRegularFile(configFile)) {
      throw new IllegalArgumentException("no configuration file at " + configFile.toAbsolutePath());
    }
    return withCopyFileToContainer(
        MountableFile.forHostPath(configFile, READABLE_BY_ALL), EngineImage.CONFIG_FILE);
  }

  /** {@link #withConfigFile(Path)} for a file on the class path, e.g. in src/test/resources. */
  public StreamInferContainer withConfigResource(String resourceName) {
    return withCopyFileToContainer(
        MountableFile.forClasspathResource(resourceName, READABLE_BY_ALL), EngineImage.CONFIG_FILE);
  }

  /**
   * Serves the models of this directory ({@code <name>/<version>/model.onnx + model.json}) instead
   * of the image's. A read-only bind, not a copy: it replaces the image's models rather than
   * merging with them, and a version added to the directory during the test is seen by the engine's
   * hot reload ({@code models.pollSeconds}). Binds need a Docker engine on this machine.
   */
  public StreamInferContainer withModels(Path modelsDir) {
    if (!Files.isDirectory(modelsDir)) {
      throw new IllegalArgumentException("no models directory at " + modelsDir.toAbsolutePath());
    }
    return withFileSystemBind(
        modelsDir.toAbsolutePath().toString(), EngineImage.MODELS_DIR, BindMode.READ_ONLY);
  }

  /**
   * Uses this Kafka container as the engine's broker: both join one network (the Kafka container's,
   * or a new one), Kafka gets a listener the engine reaches by name, and Kafka starts first. Call
   * it before either starts.
   */
  public StreamInferContainer withKafka(KafkaContainer kafka) {
    if (kafka.getContainerId() != null) {
      throw new IllegalStateException(
          "the Kafka container already runs: a listener for the engine can only be added before it"
              + " starts");
    }
    Network network = kafka.getNetwork() != null ? kafka.getNetwork() : Network.newNetwork();
    String listener = KAFKA_NETWORK_ALIAS + ":" + KAFKA_NETWORK_PORT;
    kafka.withNetwork(network).withNetworkAliases(KAFKA_NETWORK_ALIAS).withListener(listener);
    withNetwork(network);
    dependsOn(kafka);
    return withKafkaBootstrap(listener);
  }

  /**
   * Uses this broker address as seen from inside the engine's container (a broker on the same
   * network, or one reachable from Docker), for brokers other than Testcontainers' {@code
   * KafkaContainer}.
   */
  public StreamInferContainer withKafkaBootstrap(String bootstrapServers) {
    withKafkaProperty("bootstrap.servers", bootstrapServers);
    // A file written for `make run` turns the in-process broker on; this broker replaces it.
    return withConfigOverride("embeddedBroker.enabled", "false");
  }

  /** Overrides one key of the configuration file, e.g. ({@code models.pollSeconds}, {@code 1}). */
  public StreamInferContainer withConfigOverride(String path, String value) {
    return withEnv(ConfigOverrides.variable(path), value);
  }

  /** Overrides one key of one configured pipeline, e.g. ({@code ssd}, {@code batch.maxSize}). */
  public StreamInferContainer withPipelineOverride(String pipeline, String path, String value) {
    return withEnv(ConfigOverrides.pipelineKey(pipeline, path), value);
  }

  /** Sets one Kafka client property of every client the engine makes, e.g. SASL settings. */
  public StreamInferContainer withKafkaProperty(String property, String value) {
    return withEnv(ConfigOverrides.kafkaProperty(property), value);
  }

  /** The image this container runs (known without asking Docker). */
  public DockerImageName getImageName() {
    return imageName;
  }

  /** {@code http://host:port} of the engine's HTTP endpoint, as mapped on this machine. */
  public String getOpsUrl() {
    return "http://" + getHost() + ":" + getMappedPort(EngineImage.OPS_PORT);
  }

  public String getMetricsUrl() {
    return getOpsUrl() + OpsEndpoints.METRICS;
  }

  public String getReadinessUrl() {
    return getOpsUrl() + OpsEndpoints.READINESS;
  }

  public String getLivenessUrl() {
    return getOpsUrl() + OpsEndpoints.LIVENESS;
  }
}
