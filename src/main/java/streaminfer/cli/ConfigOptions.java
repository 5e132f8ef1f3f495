package streaminfer.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;
import streaminfer.config.ConfigLoader;
import streaminfer.config.ConfigTree;
import streaminfer.config.EngineSettings;
import streaminfer.family.FamilyModules;

/**
 * The configuration file and the everyday flags that override it. Precedence, lowest first: the
 * built-in defaults, the file, {@code STREAMINFER__...} environment variables, these flags.
 */
final class ConfigOptions {
  @Option(
      names = "--config",
      defaultValue = "${env:STREAMINFER_CONFIG}",
      description =
          "The YAML configuration file (default: $STREAMINFER_CONFIG; none: one pipeline per"
              + " family, with its defaults).")
  Path file;

  @Option(names = "--bootstrap", description = "Kafka bootstrap servers (kafka.bootstrap.servers).")
  String bootstrap;

  @Option(
      names = "--embedded-kafka",
      description = "Start a single-node KRaft broker in this process (loopback only).")
  boolean embeddedKafka;

  @Option(names = "--models-dir", description = "Model repository (models.dir).")
  Path modelsDir;

  @Option(
      names = "--pipelines",
      split = ",",
      description = "Serve only these configured pipelines.")
  List<String> pipelines;

  @Option(names = "--device", description = "gpu, prefer-gpu or cpu, for every pipeline.")
  String device;

  @Option(names = "--http-port", description = "Health and metrics port (ops.port).")
  Integer httpPort;

  @Option(names = "--topic-prefix", description = "Put before every topic name (topics.prefix).")
  String topicPrefix;

  /** Reads, overrides and validates: nothing has started yet when this throws. */
  EngineSettings load() {
    ConfigLoader loader = new ConfigLoader(FamilyModules.discover(), System.getenv());
    ObjectNode tree = loader.tree(Optional.ofNullable(file));
    if (bootstrap != null) {
      ConfigTree.setKafka(tree, "bootstrap.servers", bootstrap);
      ConfigTree.set(tree, "embeddedBroker.enabled", "false");
    }
    if (embeddedKafka) {
      ConfigTree.set(tree, "embeddedBroker.enabled", "true");
    }
    if (modelsDir != null) {
      ConfigTree.set(tree, "models.dir", modelsDir.toString());
    }
    if (pipelines != null) {
      ConfigTree.selectPipelines(tree, pipelines);
    }
    if (device != null) {
      ConfigTree.setInEveryPipeline(tree, "device", device);
    }
    if (httpPort != null) {
      ConfigTree.set(tree, "ops.port", httpPort.toString());
    }
    if (topicPrefix != null) {
      ConfigTree.set(tree, "topics.prefix", topicPrefix);
    }
    return loader.read(tree);
  }
}
