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
 * @param gameIdleMillis a dialogue game without a turn for this long is evicted (with a notice)
 * @param maxGames games kept at most; beyond it the least recently active are evicted
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
    long maxFramePixels,
    long gameIdleMillis,
    int maxGames) {

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

  /** A builder holding the defaults: D-GEX only, prefer-gpu, batches of 64 within 5 ms. */
  public static Builder builder(String bootstrapServers, Path modelsDir) {
    return new Builder(bootstrapServers, modelsDir);
  }

  /** Builds an {@link EngineConfig}; every setter returns the builder. */
  public static final class Builder {
    private final String bootstrapServers;
    private final Path modelsDir;
    private List<String> pipelines = List.of("dgex");
    private DevicePolicy devicePolicy = DevicePolicy.PREFER_GPU;
    private SessionTuning tuning = SessionTuning.defaults();
    private BatchConfig batch = BatchConfig.defaults();
    private int maxInFlightRecords = BatchConfig.defaults().queueCapacity();
    private String groupIdPrefix = "streaminfer";
    private int httpPort = 8080;
    private String topicPrefix = "";
    private int topicPartitions = 3;
    private Optional<Path> schemasDir = Optional.empty();
    private long maxFrameAgeMillis;
    private long maxFramePixels = FrameImageDecoder.DEFAULT_MAX_PIXELS;
    private long gameIdleMillis = java.time.Duration.ofMinutes(10).toMillis();
    private int maxGames = 100_000;

    private Builder(String bootstrapServers, Path modelsDir) {
      this.bootstrapServers = bootstrapServers;
      this.modelsDir = modelsDir;
    }

    public Builder pipelines(List<String> names) {
      this.pipelines = names;
      return this;
    }

    public Builder devicePolicy(DevicePolicy policy) {
      this.devicePolicy = policy;
      return this;
    }

    public Builder tuning(SessionTuning sessionTuning) {
      this.tuning = sessionTuning;
      return this;
    }

    /** The batcher and the in-flight bound, which must cover at least one batch. */
    public Builder batch(BatchConfig config, int maxInFlight) {
      this.batch = config;
      this.maxInFlightRecords = maxInFlight;
      return this;
    }

    public Builder groupIdPrefix(String prefix) {
      this.groupIdPrefix = prefix;
      return this;
    }

    public Builder httpPort(int port) {
      this.httpPort = port;
      return this;
    }

    public Builder topicPrefix(String prefix) {
      this.topicPrefix = prefix;
      return this;
    }

    public Builder topicPartitions(int partitions) {
      this.topicPartitions = partitions;
      return this;
    }

    public Builder schemasDir(Optional<Path> directory) {
      this.schemasDir = directory;
      return this;
    }

    public Builder maxFrameAgeMillis(long millis) {
      this.maxFrameAgeMillis = millis;
      return this;
    }

    public Builder maxFramePixels(long pixels) {
      this.maxFramePixels = pixels;
      return this;
    }

    public Builder gameIdleMillis(long millis) {
      this.gameIdleMillis = millis;
      return this;
    }

    public Builder maxGames(int games) {
      this.maxGames = games;
      return this;
    }

    public EngineConfig build() {
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
          maxFrameAgeMillis,
          maxFramePixels,
          gameIdleMillis,
          maxGames);
    }
  }
}
