package streaminfer.testcontainers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.Network;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/** The container's configuration, read back without a Docker engine (nothing is started). */
class StreamInferContainerTest {
  @TempDir Path dir;

  @Test
  void runsTheCpuImageOfThisVersionUnlessTold() {
    assertEquals(
        DockerImageName.parse("streaminfer:0.1.0-cpu"), new StreamInferContainer().getImageName());
    assertEquals(
        DockerImageName.parse("registry.example.com/streaminfer:0.1.0-cuda"),
        new StreamInferContainer("registry.example.com/streaminfer:0.1.0-cuda").getImageName());
  }

  @Test
  void exposesTheOpsPortAndAnswersToItsNetworkAlias() {
    StreamInferContainer engine = new StreamInferContainer();
    assertEquals(List.of(8080), engine.getExposedPorts());
    assertTrue(
        engine.getNetworkAliases().contains("streaminfer"), engine.getNetworkAliases()::toString);
  }

  @Test
  void listensOnEveryInterfaceAtTheExposedPortWhateverTheFileSays() {
    Map<String, String> env = new StreamInferContainer().getEnvMap();
    assertEquals("0.0.0.0", env.get("STREAMINFER__OPS__BIND_ADDRESS"));
    assertEquals("8080", env.get("STREAMINFER__OPS__PORT"));
  }

  @Test
  void readsModelsFromTheImagesModelDirectoryWhateverTheFileSays() {
    assertEquals("/models", new StreamInferContainer().getEnvMap().get("STREAMINFER__MODELS__DIR"));
  }

  // getCopyToFileContainerPathMap is deprecated, but it is the only public view of what is copied.
  @SuppressWarnings("deprecation")
  @Test
  void copiesTheConfigFileOverTheImagesOwnReadableByTheNonRootUser() throws IOException {
    Path config = Files.writeString(dir.resolve("my.yaml"), "pipelines:\n  - name: dgex\n");
    StreamInferContainer engine = new StreamInferContainer().withConfigFile(config);

    Map<MountableFile, String> copies = engine.getCopyToFileContainerPathMap();
    assertEquals(1, copies.size());
    MountableFile copied = copies.keySet().iterator().next();
    assertEquals("/etc/streaminfer/streaminfer.yaml", copies.get(copied));
    assertEquals(config.toAbsolutePath().toString(), copied.getResolvedPath());
    assertEquals(0644, copied.getFileMode() & 0777);
  }

  @Test
  void aConfigFileThatDoesNotExistFailsBeforeAnyContainerStarts() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new StreamInferContainer().withConfigFile(dir.resolve("missing.yaml")));
  }

  @SuppressWarnings("deprecation")
  @Test
  void copiesAConfigFileFromTheClassPath() {
    StreamInferContainer engine = new StreamInferContainer().withConfigResource("dgex-only.yaml");
    assertEquals(
        List.of("/etc/streaminfer/streaminfer.yaml"),
        List.copyOf(engine.getCopyToFileContainerPathMap().values()));
  }

  @Test
  void bindsAModelsDirectoryReadOnlyOverTheImagesModels() throws IOException {
    Path models = Files.createDirectories(dir.resolve("models/dgex/7"));
    StreamInferContainer engine = new StreamInferContainer().withModels(dir.resolve("models"));

    List<Bind> binds = engine.getBinds();
    assertEquals(1, binds.size());
    assertEquals(
        models.getParent().getParent().toAbsolutePath().toString(), binds.get(0).getPath());
    assertEquals("/models", binds.get(0).getVolume().getPath());
    assertEquals(AccessMode.ro, binds.get(0).getAccessMode());
  }

  @Test
  void joinsTheKafkaContainersNetworkAndUsesItsInternalListener() {
    Network network = Network.newNetwork();
    KafkaContainer kafka = new KafkaContainer("apache/kafka:4.0.0").withNetwork(network);
    StreamInferContainer engine = new StreamInferContainer().withKafka(kafka);

    assertSame(network, engine.getNetwork());
    assertTrue(kafka.getNetworkAliases().contains("streaminfer-kafka"));
    assertEquals(
        "streaminfer-kafka:19092", engine.getEnvMap().get("STREAMINFER__KAFKA__BOOTSTRAP_SERVERS"));
    assertTrue(engine.getDependencies().contains(kafka), "Kafka must start before the engine");
  }

  @Test
  void givesAKafkaContainerWithoutANetworkOneItShares() {
    KafkaContainer kafka = new KafkaContainer("apache/kafka:4.0.0");
    StreamInferContainer engine = new StreamInferContainer().withKafka(kafka);

    assertNotNull(kafka.getNetwork());
    assertSame(kafka.getNetwork(), engine.getNetwork());
  }

  @Test
  void turnsTheEmbeddedBrokerOffWhenGivenABroker() {
    Map<String, String> env =
        new StreamInferContainer().withKafkaBootstrap("broker:9092").getEnvMap();
    assertEquals("broker:9092", env.get("STREAMINFER__KAFKA__BOOTSTRAP_SERVERS"));
    assertEquals("false", env.get("STREAMINFER__EMBEDDED_BROKER__ENABLED"));
  }

  @Test
  void passesOverridesAsTheEnginesEnvironmentVariables() {
    Map<String, String> env =
        new StreamInferContainer()
            .withConfigOverride("models.pollSeconds", "1")
            .withPipelineOverride("ssd", "batch.maxSize", "16")
            .withKafkaProperty("security.protocol", "SASL_SSL")
            .getEnvMap();
    assertEquals("1", env.get("STREAMINFER__MODELS__POLL_SECONDS"));
    assertEquals("16", env.get("STREAMINFER__PIPELINES__SSD__BATCH__MAX_SIZE"));
    assertEquals("SASL_SSL", env.get("STREAMINFER__KAFKA__SECURITY_PROTOCOL"));
  }

  @Test
  void aLaterOverrideOfADefaultWins() {
    Map<String, String> env =
        new StreamInferContainer().withConfigOverride("models.dir", "/srv/models").getEnvMap();
    assertEquals("/srv/models", env.get("STREAMINFER__MODELS__DIR"));
  }

  @Test
  void setsNoCommandSoTheImageServes() {
    assertEquals(0, new StreamInferContainer().getCommandParts().length);
  }
}
