package streaminfer.stream;

import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.SaslConfigs;

/** Kafka client properties as they may be shown to people: logs, error messages, {@code config}. */
public final class KafkaClientProperties {
  /** What a hidden value is shown as. */
  public static final String HIDDEN = "[hidden]";

  private static final Set<String> KAFKA_PASSWORD_KEYS = passwordKeys();
  // A JAAS option whose name says it holds a secret, with its quoted or bare value.
  private static final Pattern JAAS_SECRET_OPTION =
      Pattern.compile(
          "(\\b[\\w.-]*(?:password|secret|token)[\\w.-]*\\s*=\\s*)(\"(?:[^\"\\\\]|\\\\.)*\"|[^\\s;]+)",
          Pattern.CASE_INSENSITIVE);

  private KafkaClientProperties() {}

  /**
   * A sorted copy of {@code properties} with secrets hidden: every value Kafka types as a password
   * ({@code ssl.keystore.password}, {@code ssl.keystore.key}...) and every key naming a password or
   * secret. {@code sasl.jaas.config} keeps its login module and user name, so a reader can still
   * tell who logs in; only options naming a password, secret or token are hidden.
   */
  public static Map<String, String> masked(Map<String, String> properties) {
    Map<String, String> shown = new TreeMap<>();
    properties.forEach((key, value) -> shown.put(key, masked(key, value)));
    return Collections.unmodifiableMap(shown);
  }

  private static String masked(String key, String value) {
    if (value == null) {
      return null;
    }
    if (key.equals(SaslConfigs.SASL_JAAS_CONFIG)) {
      Matcher matcher = JAAS_SECRET_OPTION.matcher(value);
      return matcher.replaceAll(match -> Matcher.quoteReplacement(match.group(1) + HIDDEN));
    }
    String lower = key.toLowerCase(Locale.ROOT);
    if (KAFKA_PASSWORD_KEYS.contains(key)
        || lower.contains("password")
        || lower.contains("secret")) {
      return HIDDEN;
    }
    return value;
  }

  private static Set<String> passwordKeys() {
    Set<String> keys = new HashSet<>();
    for (ConfigDef def :
        new ConfigDef[] {
          AdminClientConfig.configDef(), ConsumerConfig.configDef(), ProducerConfig.configDef()
        }) {
      def.configKeys()
          .forEach(
              (name, key) -> {
                if (key.type == ConfigDef.Type.PASSWORD) {
                  keys.add(name);
                }
              });
    }
    return Set.copyOf(keys);
  }
}
