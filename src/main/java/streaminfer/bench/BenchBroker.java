package streaminfer.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;
import streaminfer.broker.BrokerConfig;
import streaminfer.broker.EmbeddedKafkaBroker;

/**
 * Picocli mixin of every {@code bench} subcommand: the broker a benchmark runs against (the one at
 * {@code --bootstrap}, else an embedded one that lives as long as the run), its topics' partitions
 * and the model repository.
 */
public final class BenchBroker {
  /** A benchmark, given the bootstrap servers of the broker it runs against. */
  @FunctionalInterface
  public interface Run {
    void run(String bootstrap) throws Exception;
  }

  @Option(names = "--bootstrap", description = "Kafka bootstrap servers; default: embedded broker.")
  private String bootstrap;

  @Option(
      names = "--data-dir",
      description = "Embedded broker data dir; default: a fresh temp dir.")
  private Path dataDir;

  @Option(
      names = "--models-dir",
      defaultValue = "models",
      description = "Model repository (default: ${DEFAULT-VALUE}).")
  private Path modelsDir;

  @Option(
      names = "--partitions",
      defaultValue = "3",
      description = "Partitions of the topics the benchmark creates (default: ${DEFAULT-VALUE}).")
  private int partitions;

  public Path modelsDir() {
    return modelsDir;
  }

  /** Partitions of the topics the benchmark creates, and of the embedded broker's defaults. */
  public int partitions() {
    return partitions;
  }

  /** Runs the benchmark; an embedded broker is started first and closed after it, come what may. */
  public void run(Run benchmark) throws Exception {
    if (bootstrap != null) {
      benchmark.run(bootstrap);
      return;
    }
    Path dir = dataDir != null ? dataDir : Files.createTempDirectory("streaminfer-bench");
    try (EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.start(new BrokerConfig(dir, 0, 0, partitions, Map.of()))) {
      benchmark.run(broker.bootstrapServers());
    }
  }
}
