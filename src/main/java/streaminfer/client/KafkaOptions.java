package streaminfer.client;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * Picocli mixin: where the broker is and how to talk to it, for commands that are Kafka clients. As
 * with Kafka's own tools, a properties file ({@code --command-config}) carries security settings
 * (SASL, TLS); single properties on the command line override it, and {@code --bootstrap} wins.
 */
public final class KafkaOptions {
  private static final String DEFAULT_BOOTSTRAP = "localhost:9092";

  @Option(
      names = "--bootstrap",
      description =
          "Kafka bootstrap servers (default: the --command-config file's, else "
              + DEFAULT_BOOTSTRAP
              + ").")
  private String bootstrap;

  @Option(
      names = "--command-config",
      paramLabel = "FILE",
      description = "Kafka client properties file (security.protocol, sasl.*, ssl.*, ...).")
  private Path commandConfig;

  @Option(
      names = "--kafka-property",
      paramLabel = "KEY=VALUE",
      description = "One Kafka client property; repeatable; overrides --command-config.")
  private Map<String, String> properties = new LinkedHashMap<>();

  public String bootstrap() {
    return clientProperties().get("bootstrap.servers");
  }

  /** Every client property the user gave, bootstrap included. */
  public Map<String, String> clientProperties() {
    Map<String, String> client = new LinkedHashMap<>();
    if (commandConfig != null) {
      Properties file = new Properties();
      try (Reader reader = Files.newBufferedReader(commandConfig)) {
        file.load(reader);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read --command-config " + commandConfig, e);
      }
      file.stringPropertyNames().forEach(name -> client.put(name, file.getProperty(name)));
    }
    client.putAll(properties);
    if (bootstrap != null) {
      client.put("bootstrap.servers", bootstrap);
    }
    client.putIfAbsent("bootstrap.servers", DEFAULT_BOOTSTRAP);
    return client;
  }
}
