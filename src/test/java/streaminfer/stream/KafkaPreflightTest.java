package streaminfer.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import streaminfer.broker.BrokerConfig;
import streaminfer.broker.EmbeddedKafkaBroker;
import streaminfer.broker.ScramListener;
import streaminfer.broker.TestCertificates;
import streaminfer.broker.TlsListener;
import streaminfer.stream.KafkaConnectionException.Reason;

/** One broker with a SCRAM listener and a server-only TLS listener, shared by the tests below. */
class KafkaPreflightTest {
  /** Far below the default 15 s: a failure that waited for the timeout would show. */
  private static final Duration FAST = Duration.ofSeconds(5);

  @TempDir static Path dir;
  private static TestCertificates certificates;
  private static EmbeddedKafkaBroker broker;

  @BeforeAll
  static void startBroker() {
    certificates = TestCertificates.create(dir);
    broker =
        EmbeddedKafkaBroker.start(
            BrokerConfig.defaults(dir.resolve("kafka"))
                .withSaslScram(ScramListener.of(Map.of("alice", "alice-secret")))
                .withTls(
                    TlsListener.serverOnly(
                        certificates.brokerKeystore(), certificates.password())));
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void returnsTheClusterIdWhenTheScramCredentialsAreRight() {
    Map<String, String> client = broker.saslClientProperties("alice", ScramMechanism.SCRAM_SHA_512);

    assertEquals(broker.clusterId(), KafkaPreflight.check(client));
  }

  @Test
  void returnsTheClusterIdOverTlsWhenTheTruststoreTrustsTheBroker() {
    Map<String, String> client = certificates.clientProperties(broker.tlsBootstrapServers());

    assertEquals(broker.clusterId(), KafkaPreflight.check(client));
  }

  @Test
  void failsWithinSecondsNamingTheUserWhenThePasswordIsWrong() {
    Map<String, String> client =
        new HashMap<>(broker.saslClientProperties("alice", ScramMechanism.SCRAM_SHA_256));
    client.put(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"alice\" password=\"wrong\";");

    KafkaConnectionException e = failsWithin(FAST, client);

    assertEquals(Reason.AUTHENTICATION_FAILED, e.reason());
    assertTrue(e.getMessage().contains("user 'alice'"), e.getMessage());
    assertTrue(e.getMessage().contains("SCRAM-SHA-256"), e.getMessage());
    assertTrue(e.getMessage().contains("authentication failed"), e.getMessage());
    assertTrue(e.getMessage().contains(broker.saslBootstrapServers()), e.getMessage());
    assertTrue(!e.getMessage().contains("wrong"), "the password leaked: " + e.getMessage());
  }

  @Test
  void failsSayingTheCertificateIsNotTrustedWhenTheTruststoreDoesNotHoldIt() {
    Map<String, String> client =
        certificates.clientProperties(
            broker.tlsBootstrapServers(), certificates.strangerTruststore());

    KafkaConnectionException e = failsWithin(FAST, client);

    assertEquals(Reason.TLS_HANDSHAKE_FAILED, e.reason());
    assertTrue(e.getMessage().contains("certificate is not trusted"), e.getMessage());
    assertTrue(
        e.getMessage().contains(certificates.strangerTruststore().toString()), e.getMessage());
  }

  @Test
  void failsAsMisconfiguredWhenSaslIsAskedForWithoutAJaasConfig() {
    Map<String, String> client =
        Map.of(
            "bootstrap.servers", broker.saslBootstrapServers(),
            "security.protocol", "SASL_PLAINTEXT",
            "sasl.mechanism", "SCRAM-SHA-256");

    KafkaConnectionException e = failsWithin(FAST, client);

    assertEquals(Reason.MISCONFIGURED, e.reason());
    assertTrue(e.getMessage().contains("sasl.jaas.config"), e.getMessage());
  }

  @Test
  void failsAsUnreachableOnceTheTimeoutPassesWhenNothingListens() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    Map<String, String> client = Map.of("bootstrap.servers", "127.0.0.1:" + closedPort);

    long started = System.nanoTime();
    KafkaConnectionException e =
        assertThrows(
            KafkaConnectionException.class,
            () -> KafkaPreflight.check(client, Duration.ofSeconds(1)));

    assertEquals(Reason.UNREACHABLE, e.reason());
    assertTrue(e.getMessage().contains("did not answer within 1000 ms"), e.getMessage());
    assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(FAST) < 0);
  }

  private static KafkaConnectionException failsWithin(Duration limit, Map<String, String> client) {
    long started = System.nanoTime();
    KafkaConnectionException e =
        assertThrows(KafkaConnectionException.class, () -> KafkaPreflight.check(client));
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertTrue(took.compareTo(limit) < 0, "took " + took + ": " + e.getMessage());
    return e;
  }
}
