package streaminfer.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerTest {
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @TempDir Path dataDir;

  @Test
  void producesAndConsumesARecordOnTheEmbeddedBroker() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerConfig.defaults(dataDir))) {
      assertTrue(broker.bootstrapServers().startsWith("127.0.0.1:"), broker.bootstrapServers());

      produce(broker.bootstrapServers(), "frames", "camera-1", "hello");

      List<ConsumerRecord<String, String>> records =
          consumeAtLeast(broker.bootstrapServers(), "frames", "test-group", 1);
      assertEquals("camera-1", records.get(0).key());
      assertEquals("hello", records.get(0).value());
      // Auto-created with the configured default partition count.
      assertEquals(3, describe(broker.bootstrapServers(), "frames").partitions().size());
    }
  }

  @Test
  void keepsRecordsAndClusterIdAcrossARestartOnTheSameDataDirectory() throws Exception {
    String clusterId;
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerConfig.defaults(dataDir))) {
      clusterId = broker.clusterId();
      produce(broker.bootstrapServers(), "gene-panels", "sample-1", "before restart");
    }
    String metaBefore = Files.readString(dataDir.resolve("meta.properties"));

    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerConfig.defaults(dataDir))) {
      assertEquals(clusterId, broker.clusterId());
      assertEquals(clusterId, clusterIdServedBy(broker.bootstrapServers()));
      assertEquals(metaBefore, Files.readString(dataDir.resolve("meta.properties")));
      List<ConsumerRecord<String, String>> records =
          consumeAtLeast(broker.bootstrapServers(), "gene-panels", "after-restart", 1);
      assertEquals("before restart", records.get(0).value());
    }
  }

  @Test
  void storesExactlyTheConfiguredScramCredentialsOnEveryStart() throws Exception {
    BrokerConfig first =
        BrokerConfig.defaults(dataDir)
            .withSaslScram(ScramListener.of(Map.of("alice", "old", "bob", "bob-secret")));
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(first)) {
      assertEquals(Set.of("alice", "bob"), scramCredentials(broker.bootstrapServers()).keySet());
    }

    // A start returns once its first user logs in, so this one proves alice's new password works.
    BrokerConfig second =
        BrokerConfig.defaults(dataDir)
            .withSaslScram(
                new ScramListener(
                    0, EnumSet.of(ScramMechanism.SCRAM_SHA_512), Map.of("alice", "new")));
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(second)) {
      Map<String, UserScramCredentialsDescription> stored =
          scramCredentials(broker.bootstrapServers());
      assertEquals(Set.of("alice"), stored.keySet());
      assertEquals(
          List.of(ScramMechanism.SCRAM_SHA_512),
          stored.get("alice").credentialInfos().stream()
              .map(ScramCredentialInfo::mechanism)
              .toList());
    }
  }

  @Test
  void commitsATransactionOnASingleNodeSoReadCommittedConsumersSeeIt() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerConfig.defaults(dataDir))) {
      String bootstrap = broker.bootstrapServers();
      Map<String, Object> props =
          Map.of(
              ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
              bootstrap,
              ProducerConfig.TRANSACTIONAL_ID_CONFIG,
              "egress-1",
              ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
              StringSerializer.class,
              ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
              StringSerializer.class);
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
        producer.initTransactions();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>("detections", "camera-1", "committed"));
        producer.commitTransaction();
      }

      List<ConsumerRecord<String, String>> records =
          consumeAtLeast(bootstrap, "detections", "read-committed", 1);
      assertEquals("committed", records.get(0).value());
    }
  }

  @Test
  void createsTopicsIdempotently() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerConfig.defaults(dataDir))) {
      String bootstrap = broker.bootstrapServers();
      List<String> names = List.of("frames", "detections", "frames.dlq");

      Topics.ensure(bootstrap, names, 2);
      Topics.ensure(bootstrap, names, 2);

      try (Admin admin = admin(bootstrap)) {
        assertTrue(admin.listTopics().names().get().containsAll(names));
      }
      for (String name : names) {
        assertEquals(2, describe(bootstrap, name).partitions().size(), name);
      }
    }
  }

  @Test
  void refusesADataDirectoryThatIsAFileWithAMessageNamingIt() throws IOException {
    Path notADirectory = Files.writeString(dataDir.resolve("plain-file"), "not a directory");

    BrokerStartException e =
        assertThrows(
            BrokerStartException.class,
            () -> EmbeddedKafkaBroker.start(BrokerConfig.defaults(notADirectory)));

    assertTrue(e.getMessage().contains(notADirectory.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("cannot be created"), e.getMessage());
  }

  @Test
  void failsWithTheDataDirectoryAndCauseWhenTheClientPortIsTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      BrokerConfig config = new BrokerConfig(dataDir, taken.getLocalPort(), 0, 3, Map.of());

      BrokerStartException e =
          assertThrows(BrokerStartException.class, () -> EmbeddedKafkaBroker.start(config));

      assertTrue(e.getMessage().contains(dataDir.toString()), e.getMessage());
      assertTrue(e.getMessage().contains(String.valueOf(taken.getLocalPort())), e.getMessage());
    }
    // The failed start released the directory: the next one on it works.
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerConfig.defaults(dataDir))) {
      assertEquals(broker.clusterId(), clusterIdServedBy(broker.bootstrapServers()));
    }
  }

  @Test
  void rejectsOverridesOfTheSettingsItOwns() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new BrokerConfig(dataDir, 0, 0, 3, Map.of("listeners", "PLAINTEXT://:9092")));

    assertTrue(e.getMessage().contains("listeners"), e.getMessage());
  }

  private static void produce(String bootstrap, String topic, String key, String value)
      throws ExecutionException, InterruptedException {
    Map<String, Object> props =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
      producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("produce to " + topic + " not acknowledged in time", e);
    }
  }

  private static List<ConsumerRecord<String, String>> consumeAtLeast(
      String bootstrap, String topic, String group, int count) {
    Map<String, Object> props =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.GROUP_ID_CONFIG,
            group,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class);
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
      consumer.subscribe(Set.of(topic));
      while (records.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    assertTrue(
        records.size() >= count,
        "expected " + count + " record(s) on " + topic + " within " + DEADLINE);
    return records;
  }

  private static TopicDescription describe(String bootstrap, String topic) throws Exception {
    try (Admin admin = admin(bootstrap)) {
      return admin.describeTopics(Set.of(topic)).topicNameValues().get(topic).get();
    }
  }

  private static String clusterIdServedBy(String bootstrap) throws Exception {
    try (Admin admin = admin(bootstrap)) {
      return admin.describeCluster().clusterId().get();
    }
  }

  private static Map<String, UserScramCredentialsDescription> scramCredentials(String bootstrap)
      throws Exception {
    try (Admin admin = admin(bootstrap)) {
      return admin.describeUserScramCredentials().all().get();
    }
  }

  private static Admin admin(String bootstrap) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
  }
}
