package streaminfer.client;

import picocli.CommandLine.Option;

/** Picocli mixin: where the broker is, for commands that talk to one. */
public final class KafkaOptions {
  @Option(
      names = "--bootstrap",
      defaultValue = "localhost:9092",
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
  private String bootstrap;

  public String bootstrap() {
    return bootstrap;
  }
}
