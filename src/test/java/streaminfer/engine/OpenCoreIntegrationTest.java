package streaminfer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import streaminfer.broker.BrokerConfig;
import streaminfer.broker.EmbeddedKafkaBroker;
import streaminfer.broker.ScramListener;
import streaminfer.broker.TestCertificates;
import streaminfer.broker.TlsListener;
import streaminfer.codec.AvroCodec;
import streaminfer.codec.Floats;
import streaminfer.codec.WriterSchemas;
import streaminfer.config.ConfigLoader;
import streaminfer.config.EngineSettings;
import streaminfer.family.FamilyModules;
import streaminfer.source.SyntheticCameras;
import streaminfer.stream.KafkaConnectionException;
import streaminfer.v1.Detections;
import streaminfer.v1.Frame;
import streaminfer.v1.GeneExpression;
import streaminfer.v1.GenePanel;

/**
 * The engine as an open core, on one real broker with a plain, a SASL/SCRAM and a TLS listener: a
 * family found only on the test class path, served from a configuration file; two versions of one
 * family side by side; credentials that come only from the file and the environment.
 */
class OpenCoreIntegrationTest {
  private static final Duration DEADLINE = Duration.ofSeconds(120);
  private static final Path TEST_FAMILY_MODELS = Path.of("src/test/resources/test-family-models");
  private static final String USER = "engine";
  private static final String PASSWORD = "s3cret \"quoted\" pass";

  private static EmbeddedKafkaBroker broker;
  private static TestCertificates certificates;
  @TempDir private static Path shared;
  @TempDir Path dir;

  private final WriterSchemas schemas = WriterSchemas.v1();
  private final AvroCodec<GenePanel> panels = AvroCodec.forType(GenePanel.class, schemas);
  private final AvroCodec<GeneExpression> expressions =
      AvroCodec.forType(GeneExpression.class, schemas);

  @BeforeAll
  static void startBroker() {
    certificates = TestCertificates.create(shared);
    broker =
        EmbeddedKafkaBroker.start(
            BrokerConfig.defaults(shared.resolve("kafka"))
                .withSaslScram(ScramListener.of(Map.of(USER, PASSWORD)))
                .withTls(
                    TlsListener.serverOnly(
                        certificates.brokerKeystore(), certificates.password())));
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @Test
  void servesAFamilyThatLivesOnlyInItsOwnPackageFromAConfigurationFile() throws Exception {
    Path file =
        write(
            """
            kafka:
              bootstrap.servers: %s
            models:
              dir: %s
            ops:
              port: 0
            pipelines:
              - name: doubler
                family: scale
                input: numbers-in
                output: numbers-out
                batch:
                  maxSize: 8
                  maxDelayMillis: 2
            """
                .formatted(broker.bootstrapServers(), TEST_FAMILY_MODELS));
    EngineSettings settings = loader(Map.of()).load(Optional.of(file));
    assertRoundTrip(settings, plain(), "numbers-in", "numbers-out");
  }

  @Test
  void connectsWithScramCredentialsThatOnlyTheEnvironmentHolds() throws Exception {
    Path file =
        write(
            """
            kafka:
              bootstrap.servers: %s
              security.protocol: SASL_PLAINTEXT
              sasl.mechanism: SCRAM-SHA-512
            models:
              dir: %s
            ops:
              port: 0
            pipelines:
              - name: scale
                input: sasl-in
                output: sasl-out
            """
                .formatted(broker.saslBootstrapServers(), TEST_FAMILY_MODELS));
    Map<String, String> client = broker.saslClientProperties(USER, ScramMechanism.SCRAM_SHA_512);
    EngineSettings settings =
        loader(Map.of("STREAMINFER__KAFKA__SASL_JAAS_CONFIG", client.get("sasl.jaas.config")))
            .load(Optional.of(file));
    assertRoundTrip(settings, client, "sasl-in", "sasl-out");
  }

  @Test
  void refusesWrongScramCredentialsWithOneClearErrorBeforeStarting() throws Exception {
    Map<String, String> client =
        new HashMap<>(broker.saslClientProperties(USER, ScramMechanism.SCRAM_SHA_256));
    String jaas = client.get("sasl.jaas.config").replace("s3cret", "Xq9zNotIt");
    Path file =
        write(
            """
            kafka:
              bootstrap.servers: %s
              security.protocol: SASL_PLAINTEXT
              sasl.mechanism: SCRAM-SHA-256
            models:
              dir: %s
            pipelines:
              - name: scale
            """
                .formatted(broker.saslBootstrapServers(), TEST_FAMILY_MODELS));
    EngineSettings settings =
        loader(Map.of("STREAMINFER__KAFKA__SASL_JAAS_CONFIG", jaas)).load(Optional.of(file));
    long started = System.nanoTime();
    KafkaConnectionException refused =
        assertThrows(KafkaConnectionException.class, () -> Engine.start(settings));
    long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
    assertEquals(KafkaConnectionException.Reason.AUTHENTICATION_FAILED, refused.reason());
    assertTrue(refused.getMessage().contains(USER), refused.getMessage());
    assertTrue(
        !refused.getMessage().contains("Xq9zNotIt"), "the password stays out of the message");
    assertTrue(seconds < 15, "refused after " + seconds + " s, not after a retry loop");
  }

  @Test
  void connectsOverTlsWithATruststoreFromTheConfiguration() throws Exception {
    Map<String, String> client = certificates.clientProperties(broker.tlsBootstrapServers());
    EngineSettings settings =
        loader(Map.of()).read(tree(broker.tlsBootstrapServers(), client, "tls-in", "tls-out"));
    assertRoundTrip(settings, client, "tls-in", "tls-out");
  }

  @Test
  void servesTwoVersionsOfOneFamilySideBySideFromOneInputTopic() throws Exception {
    Path models = dir.resolve("models");
    copyVersion(Path.of("models/ssd/1"), models.resolve("ssd/1"), 1);
    copyVersion(Path.of("models/ssd/1"), models.resolve("ssd/2"), 2);
    Path file =
        write(
            """
            kafka:
              bootstrap.servers: %s
            models:
              dir: %s
            ops:
              port: 0
            pipelines:
              - name: ssd-current
                family: ssd
                version: 1
                input: side-frames
                output: detections-v1
              - name: ssd-candidate
                family: ssd
                version: 2
                input: side-frames
                output: detections-v2
            """
                .formatted(broker.bootstrapServers(), models));
    AvroCodec<Frame> frames = AvroCodec.forType(Frame.class, schemas);
    AvroCodec<Detections> detections = AvroCodec.forType(Detections.class, schemas);
    List<Map.Entry<String, byte[]>> records = new ArrayList<>();
    try (SyntheticCameras cameras = new SyntheticCameras("side", 2, 320, 320, 0.85f, 5)) {
      for (int tick = 0; tick < 25; tick++) {
        for (int stream = 0; stream < cameras.streams(); stream++) {
          Frame frame = cameras.next(stream).frame();
          records.add(Map.entry(frame.getStreamId(), frames.encode(frame)));
        }
      }
    }
    KafkaTestClients.produce(broker.bootstrapServers(), "side-frames", records);
    EngineSettings settings = loader(Map.of()).load(Optional.of(file));
    try (Engine engine = Engine.start(settings)) {
      for (String version : List.of("1", "2")) {
        List<ConsumerRecord<String, byte[]>> outputs =
            KafkaTestClients.consumeUntil(
                broker.bootstrapServers(),
                "detections-v" + version,
                DEADLINE,
                read -> read.size() >= records.size());
        assertEquals(records.size(), outputs.size(), "every frame answered once by v" + version);
        Map<String, Long> lastSeq = new HashMap<>();
        for (ConsumerRecord<String, byte[]> output : outputs) {
          Detections answer = detections.decode(output.value());
          assertEquals(version, answer.getModelVersion());
          long previous = lastSeq.getOrDefault(answer.getStreamId(), -1L);
          assertTrue(answer.getSeq() > previous, answer.getStreamId() + " out of order");
          lastSeq.put(answer.getStreamId(), answer.getSeq());
        }
      }
      assertEquals(records.size(), committed("streaminfer-ssd-current", "side-frames"));
      assertEquals(records.size(), committed("streaminfer-ssd-candidate", "side-frames"));
    }
  }

  /** Panels of four numbers in; each answered with 2x + 1 under its own key. */
  private void assertRoundTrip(
      EngineSettings settings, Map<String, String> client, String input, String output)
      throws Exception {
    Map<String, float[]> sent = new HashMap<>();
    List<Map.Entry<String, byte[]>> records = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      float[] values = {i, -i, i / 2f, 1};
      sent.put("row-" + i, values);
      records.add(
          Map.entry(
              "row-" + i,
              panels.encode(
                  GenePanel.newBuilder()
                      .setSampleId("row-" + i)
                      .setValues(Floats.view(values))
                      .build())));
    }
    try (Engine engine = Engine.start(settings)) {
      KafkaTestClients.produce(client, input, records);
      List<ConsumerRecord<String, byte[]>> outputs =
          KafkaTestClients.consumeUntil(
              client, output, DEADLINE, read -> read.size() >= records.size());
      assertEquals(records.size(), outputs.size());
      for (ConsumerRecord<String, byte[]> record : outputs) {
        GeneExpression expression = expressions.decode(record.value());
        float[] in = sent.get(record.key());
        float[] out = Floats.toArray(expression.getValues());
        for (int j = 0; j < in.length; j++) {
          assertEquals(2 * in[j] + 1, out[j], record.key() + "[" + j + "]");
        }
        assertEquals("scale", expression.getModel());
      }
    }
  }

  private static Map<String, String> plain() {
    return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
  }

  private long committed(String group, String topic) throws Exception {
    try (Admin admin = Admin.create(new HashMap<String, Object>(plain()))) {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      long deadline = System.nanoTime() + DEADLINE.toNanos();
      long sum = sum(offsets, topic);
      while (sum < 50 && System.nanoTime() < deadline) {
        Thread.sleep(100);
        sum =
            sum(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(), topic);
      }
      return sum;
    }
  }

  private static long sum(Map<TopicPartition, OffsetAndMetadata> offsets, String topic) {
    return offsets.entrySet().stream()
        .filter(entry -> entry.getKey().topic().equals(topic))
        .mapToLong(entry -> entry.getValue().offset())
        .sum();
  }

  private com.fasterxml.jackson.databind.node.ObjectNode tree(
      String bootstrap, Map<String, String> kafka, String input, String output) {
    var root = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    var properties = root.putObject("kafka");
    kafka.forEach(properties::put);
    properties.put("bootstrap.servers", bootstrap);
    root.putObject("models").put("dir", TEST_FAMILY_MODELS.toString());
    root.putObject("ops").put("port", 0);
    root.putArray("pipelines")
        .addObject()
        .put("name", "scale")
        .put("input", input)
        .put("output", output);
    return root;
  }

  private ConfigLoader loader(Map<String, String> environment) {
    return new ConfigLoader(FamilyModules.discover(), environment);
  }

  private Path write(String yaml) throws IOException {
    return Files.writeString(dir.resolve("streaminfer.yaml"), yaml);
  }

  /** A copy of a model version under another version number (its model.json says so too). */
  private static void copyVersion(Path from, Path to, int version) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
    Path metadata = to.resolve("model.json");
    Files.writeString(
        metadata,
        Files.readString(metadata).replaceFirst("\"version\":\\s*1", "\"version\": " + version));
  }
}
