package streaminfer.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** One broker with a SCRAM listener and a mutual-TLS listener, shared by the tests below. */
class SecureListenersTest {
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @TempDir static Path dir;
  private static TestCertificates certificates;
  private static EmbeddedKafkaBroker broker;

  @BeforeAll
  static void startBroker() {
    certificates = TestCertificates.create(dir);
    BrokerConfig config =
        BrokerConfig.defaults(dir.resolve("kafka"))
            .withSaslScram(
                ScramListener.of(Map.of("alice", "alice-secret", "bob", "bob \"quoted\"")))
            .withTls(
                TlsListener.mutual(
                    certificates.brokerKeystore(),
                    certificates.password(),
                    certificates.brokerTruststore(),
                    certificates.password()));
    broker = EmbeddedKafkaBroker.start(config);
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"SCRAM_SHA_256", "SCRAM_SHA_512"})
  void roundTripsARecordOverSaslWithEachScramMechanism(ScramMechanism mechanism) {
    Map<String, String> client = broker.saslClientProperties("alice", mechanism);
    String topic = "sasl-" + mechanism.name().toLowerCase(java.util.Locale.ROOT);

    produce(client, topic, "camera-1", "over " + mechanism.mechanismName());

    ConsumerRecord<String, String> record = consumeOne(client, topic);
    assertEquals("camera-1", record.key());
    assertEquals("over " + mechanism.mechanismName(), record.value());
  }

  @Test
  void logsInAUserWhosePasswordHoldsQuotes() {
    Map<String, String> client = broker.saslClientProperties("bob", ScramMechanism.SCRAM_SHA_256);

    produce(client, "sasl-bob", "k", "v");
  }

  @Test
  void roundTripsARecordOverMutualTls() {
    Map<String, String> client = certificates.mutualClientProperties(broker.tlsBootstrapServers());

    produce(client, "tls", "camera-2", "over TLS");

    ConsumerRecord<String, String> record = consumeOne(client, "tls");
    assertEquals("over TLS", record.value());
  }

  @Test
  void refusesATlsClientWithoutACertificateWhenMutualTlsIsRequired() {
    Map<String, Object> client =
        new HashMap<>(certificates.clientProperties(broker.tlsBootstrapServers()));

    try (Admin admin = Admin.create(client)) {
      ExecutionException e =
          assertThrows(
              ExecutionException.class,
              () ->
                  admin.describeCluster().clusterId().get(DEADLINE.toSeconds(), TimeUnit.SECONDS));
      assertInstanceOf(SslAuthenticationException.class, e.getCause());
    }
  }

  @Test
  void advertisesEveryListenerOnLoopback() {
    for (String address :
        List.of(
            broker.bootstrapServers(),
            broker.saslBootstrapServers(),
            broker.tlsBootstrapServers())) {
      assertTrue(address.startsWith("127.0.0.1:"), address);
    }
  }

  @Test
  void acceptsNoConnectionOnAnAddressOtherThanLoopback() throws SocketException {
    InetAddress external = nonLoopbackAddress();
    assumeTrue(external != null, "this host has no non-loopback IPv4 address to try");

    for (String address :
        List.of(
            broker.bootstrapServers(),
            broker.saslBootstrapServers(),
            broker.tlsBootstrapServers())) {
      int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
      assertThrows(
          IOException.class,
          () -> {
            try (Socket socket = new Socket()) {
              socket.connect(new InetSocketAddress(external, port), 2_000);
            }
          },
          "listener " + address + " answered on " + external);
    }
  }

  private static InetAddress nonLoopbackAddress() throws SocketException {
    for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
      for (InetAddress address : nic.inetAddresses().toList()) {
        if (!address.isLoopbackAddress() && address instanceof java.net.Inet4Address) {
          return address;
        }
      }
    }
    return null;
  }

  static void produce(Map<String, String> client, String topic, String key, String value) {
    Map<String, Object> props = new HashMap<>(client);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
      producer
          .send(new ProducerRecord<>(topic, key, value))
          .get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("produce to " + topic + " failed", e);
    }
  }

  static ConsumerRecord<String, String> consumeOne(Map<String, String> client, String topic) {
    Map<String, Object> props = new HashMap<>(client);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
      consumer.subscribe(Set.of(topic));
      while (records.isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    assertTrue(!records.isEmpty(), "no record on " + topic + " within " + DEADLINE);
    return records.get(0);
  }
}
