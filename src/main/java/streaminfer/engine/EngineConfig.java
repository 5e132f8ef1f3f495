package streaminfer.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import streaminfer.batch.BatchConfig;
import streaminfer.family.ssd.FrameImageDecoder;
import streaminfer.runtime.DevicePolicy;
import streaminfer.runtime.SessionTuning;

/**
 * Everything {@link Engine} needs to serve.
 *
 * @param groupIdPrefix consumer groups are named {@code <prefix>-<pipeline>}
 * @param httpPort health and metrics port; 0 picks a free one
 * @param topicPrefix put before every topic name (empty for the defaults: {@code gene-panels}...)
 * @param topicPartitions partitions of topics the engine creates when they are missing
 * @param schemasDir newer writer schemas ({@code *.avsc}) to accept besides the built-in v1 ones
 * @param maxFrameAgeMillis live mode: frames captured longer ago are skipped; 0 processes all
 * @param maxFramePixels larger frames are dead-lettered before decoding (decompression bombs)
 */
public record EngineConfig(
    String bootstrapServers,
    Path modelsDir,
    List<String> pipelines,
    DevicePolicy devicePolicy,
    SessionTuning tuning,
    BatchConfig batch,
    int maxInFlightRecords,
    String groupIdPrefix,
    int httpPort,
    String topicPrefix,
    int topicPartitions,
    Optional<Path> schemasDir,
    long maxFrameAgeMillis,
    long maxFramePixels) {

  public EngineConfig {
    pipelines = List.copyOf(pipelines);
    topicPrefix = topicPrefix == null ? "" : topicPrefix;
    if (pipelines.isEmpty()) {
      throw new IllegalArgumentException("no pipeline to serve");
    }
    if (maxInFlightRecords < batch.maxBatchSize()) {
      throw new IllegalArgumentException(
          "maxInFlightRecords ("
              + maxInFlightRecords
              + ") must cover at least one batch ("
              + batch.maxBatchSize()
              + ")");
    }
  }

  public static EngineConfig defaults(String bootstrapServers, Path modelsDir) {
    return new EngineConfig(
        bootstrapServers,
        modelsDir,
        List.of("dgex"),
        DevicePolicy.PREFER_GPU,
        SessionTuning.defaults(),
        BatchConfig.defaults(),
        1024,
        "streaminfer",
        8080,
        "",
        3,
        Optional.empty(),
        0,
        FrameImageDecoder.DEFAULT_MAX_PIXELS);
  }

  public EngineConfig withPipelines(List<String> names) {
    return new EngineConfig(
        bootstrapServers,
        modelsDir,
        names,
        devicePolicy,
        tuning,
        batch,
        maxInFlightRecords,
        groupIdPrefix,
        httpPort,
        topicPrefix,
        topicPartitions,
        schemasDir,
        maxFrameAgeMillis,
        maxFramePixels);
  }

  public EngineConfig withMaxFrameAgeMillis(long millis) {
    return new EngineConfig(
        bootstrapServers,
        modelsDir,
        pipelines,
        devicePolicy,
        tuning,
        batch,
        maxInFlightRecords,
        groupIdPrefix,
        httpPort,
        topicPrefix,
        topicPartitions,
        schemasDir,
        millis,
        maxFramePixels);
  }

  public EngineConfig withHttpPort(int port) {
    return new EngineConfig(
        bootstrapServers,
        modelsDir,
        pipelines,
        devicePolicy,
        tuning,
        batch,
        maxInFlightRecords,
        groupIdPrefix,
        port,
        topicPrefix,
        topicPartitions,
        schemasDir,
        maxFrameAgeMillis,
        maxFramePixels);
  }

  public EngineConfig withTopicPrefix(String prefix) {
    return new EngineConfig(
        bootstrapServers,
        modelsDir,
        pipelines,
        devicePolicy,
        tuning,
        batch,
        maxInFlightRecords,
        groupIdPrefix,
        httpPort,
        prefix,
        topicPartitions,
        schemasDir,
        maxFrameAgeMillis,
        maxFramePixels);
  }

  public EngineConfig withBatch(BatchConfig newBatch, int newMaxInFlightRecords) {
    return new EngineConfig(
        bootstrapServers,
        modelsDir,
        pipelines,
        devicePolicy,
        tuning,
        newBatch,
        newMaxInFlightRecords,
        groupIdPrefix,
        httpPort,
        topicPrefix,
        topicPartitions,
        schemasDir,
        maxFrameAgeMillis,
        maxFramePixels);
  }
}
