package streaminfer.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole configuration of one engine, validated.
 *
 * @param kafka Kafka client properties ({@code bootstrap.servers}, {@code security.protocol},
 *     {@code sasl.*}, {@code ssl.*}, ...) given unchanged to every consumer, producer and admin
 *     client the engine makes
 * @param topicPrefix put before every topic name the pipelines use (tests and benchmarks)
 * @param topicPartitions partitions of topics the engine creates when they are missing
 * @param schemasDir newer writer schemas ({@code *.avsc}) to accept besides the built-in ones
 * @param kafkaWarmup a topic of the engine's own on which its Kafka clients are warmed up before
 *     the pipelines consume; empty: no such warm-up
 * @param kafkaWarmupRecords records produced to it and read back
 * @param modelPollSeconds how often the model repository is looked at for new versions of the
 *     models pipelines serve as {@code latest}; 0: never (the versions found at start are served)
 */
public record EngineSettings(
    Map<String, String> kafka,
    BrokerSettings broker,
    Path modelsDir,
    Optional<Path> schemasDir,
    String topicPrefix,
    int topicPartitions,
    OpsSettings ops,
    Optional<String> kafkaWarmup,
    int kafkaWarmupRecords,
    int modelPollSeconds,
    List<PipelineSettings> pipelines) {

  public EngineSettings {
    kafka = Map.copyOf(kafka);
    pipelines = List.copyOf(pipelines);
    if (pipelines.isEmpty()) {
      throw new ConfigException("pipelines", "no pipeline to serve");
    }
  }

  public String bootstrapServers() {
    return kafka.get("bootstrap.servers");
  }

  /** The same engine against another broker (the embedded one, once it has started). */
  public EngineSettings withBootstrap(String servers) {
    Map<String, String> properties = new java.util.HashMap<>(kafka);
    properties.put("bootstrap.servers", servers);
    return new EngineSettings(
        properties,
        broker,
        modelsDir,
        schemasDir,
        topicPrefix,
        topicPartitions,
        ops,
        kafkaWarmup,
        kafkaWarmupRecords,
        modelPollSeconds,
        pipelines);
  }
}
