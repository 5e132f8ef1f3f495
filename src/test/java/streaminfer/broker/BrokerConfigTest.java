package streaminfer.broker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.junit.jupiter.api.Test;

class BrokerConfigTest {
  private static final Path DIR = Path.of("kafka-data");

  @Test
  void refusesTwoListenersOnTheSamePort() {
    BrokerConfig plain = new BrokerConfig(DIR, 9092, 0, 3, Map.of());
    ScramListener sasl =
        new ScramListener(9092, EnumSet.of(ScramMechanism.SCRAM_SHA_256), Map.of("a", "b"));

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> plain.withSaslScram(sasl));

    assertTrue(e.getMessage().contains("SASL port=9092"), e.getMessage());
  }

  @Test
  void refusesMutualTlsWithoutATruststoreToCheckClientsAgainst() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new TlsListener(
                0, DIR.resolve("k.p12"), "pw", Optional.empty(), Optional.empty(), true));
  }

  @Test
  void refusesAScramListenerWithoutUsersOrWithAnUnknownMechanism() {
    assertThrows(IllegalArgumentException.class, () -> ScramListener.of(Map.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> new ScramListener(0, EnumSet.of(ScramMechanism.UNKNOWN), Map.of("a", "b")));
  }

  @Test
  void keepsPasswordsOutOfItsDescription() {
    BrokerConfig config =
        BrokerConfig.defaults(DIR)
            .withSaslScram(ScramListener.of(Map.of("alice", "alice-secret")))
            .withTls(TlsListener.serverOnly(DIR.resolve("k.p12"), "store-secret"));

    String shown = config.toString();

    assertTrue(shown.contains("alice"), shown);
    assertFalse(shown.contains("alice-secret"), shown);
    assertFalse(shown.contains("store-secret"), shown);
  }
}
