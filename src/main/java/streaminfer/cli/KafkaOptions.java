package streaminfer.cli;

import picocli.CommandLine.Option;

/** Where the broker is, for commands that talk to one. */
final class KafkaOptions {
  @Option(
      names = "--bootstrap",
      defaultValue = "localhost:9092",
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
  String bootstrap;
}
