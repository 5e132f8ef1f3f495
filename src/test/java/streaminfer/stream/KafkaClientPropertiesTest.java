package streaminfer.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaClientPropertiesTest {
  @Test
  void hidesThePasswordInTheJaasConfigButKeepsTheModuleAndUser() {
    String jaas =
        "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"alice\" password=\"s3cr\\\"et\";";

    String shown =
        KafkaClientProperties.masked(Map.of("sasl.jaas.config", jaas)).get("sasl.jaas.config");

    assertEquals(
        "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"alice\" password=[hidden];",
        shown);
  }

  @Test
  void hidesUnquotedAndOauthSecretsInTheJaasConfig() {
    String jaas =
        "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required"
            + " clientId=engine clientSecret=abc123 unsecuredLoginStringClaim_sub=\"x\";";

    String shown =
        KafkaClientProperties.masked(Map.of("sasl.jaas.config", jaas)).get("sasl.jaas.config");

    assertFalse(shown.contains("abc123"), shown);
    assertTrue(shown.contains("clientId=engine"), shown);
  }

  @Test
  void hidesEveryValueKafkaTypesAsAPasswordOrWhoseKeyNamesASecret() {
    List<String> secretKeys =
        List.of(
            "ssl.keystore.password",
            "ssl.key.password",
            "ssl.truststore.password",
            "ssl.keystore.key",
            "sasl.oauthbearer.client.credentials.client.secret",
            "basic.auth.user.password",
            "my.api.secret");
    Map<String, String> properties = new HashMap<>();
    secretKeys.forEach(key -> properties.put(key, "hunter2"));

    Map<String, String> shown = KafkaClientProperties.masked(properties);

    secretKeys.forEach(key -> assertEquals(KafkaClientProperties.HIDDEN, shown.get(key), key));
  }

  @Test
  void leavesEverythingElseAsItIsInKeyOrder() {
    Map<String, String> properties =
        Map.of(
            "security.protocol", "SASL_SSL",
            "bootstrap.servers", "kafka:9093",
            "ssl.truststore.location", "/etc/kafka/truststore.p12",
            "sasl.mechanism", "SCRAM-SHA-512");

    Map<String, String> shown = KafkaClientProperties.masked(properties);

    assertEquals(properties, shown);
    assertEquals("bootstrap.servers", shown.keySet().iterator().next());
  }
}
