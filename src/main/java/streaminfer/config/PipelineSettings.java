package streaminfer.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import streaminfer.batch.BatchConfig;
import streaminfer.family.ConfiguredFamily;
import streaminfer.runtime.DevicePolicy;
import streaminfer.runtime.SessionTuning;
import streaminfer.runtime.Warmup;
import streaminfer.stream.Delivery;

/**
 * One pipeline: a family serving one input topic with its models, as the configuration file's
 * {@code pipelines} entry says, defaults filled in and validated.
 *
 * @param models the model of each of the family's roles, in the family's order
 * @param outputTopics the topic of each of the family's output roles, in the family's order
 * @param batch the micro-batcher of every model of the pipeline; its queue capacity is the
 *     ingress's in-flight bound, so the consumer pauses before the batcher could overflow
 * @param maxInputAge live mode: inputs captured longer ago are skipped; empty serves all
 * @param warmup batches each model runs when it loads, before the pipeline consumes
 * @param recordTimeoutMillis how long a record may take from receipt to its outcome before it is
 *     dead-lettered as stuck
 * @param delivery at-least-once or exactly-once (one Kafka transaction per commit)
 * @param commitIntervalMillis how often offsets (exactly-once: transactions) are committed
 */
public record PipelineSettings(
    String name,
    ConfiguredFamily<?> family,
    Map<String, ModelRef> models,
    String inputTopic,
    Map<String, String> outputTopics,
    String deadLetterTopic,
    String groupId,
    BatchConfig batch,
    DevicePolicy device,
    SessionTuning tuning,
    Optional<Duration> maxInputAge,
    Warmup warmup,
    long recordTimeoutMillis,
    Delivery delivery,
    long commitIntervalMillis) {

  public PipelineSettings {
    if (recordTimeoutMillis < 1) {
      throw new IllegalArgumentException(
          "recordTimeoutMillis must be >= 1, was " + recordTimeoutMillis);
    }
    if (commitIntervalMillis < 1) {
      throw new IllegalArgumentException(
          "commitIntervalMillis must be >= 1, was " + commitIntervalMillis);
    }
    // Kept in the family's order (Map.copyOf would not): the printed configuration follows it.
    models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
    outputTopics = Collections.unmodifiableMap(new LinkedHashMap<>(outputTopics));
  }

  /** The model of the family's first role, which names and versions the pipeline's outputs. */
  public ModelRef mainModel() {
    return models.get(family.module().models().get(0).role());
  }

  /** The same pipeline with its main model pinned to {@code version} (a hot reload's target). */
  public PipelineSettings withMainModelVersion(int version) {
    Map<String, ModelRef> pinned = new LinkedHashMap<>(models);
    String main = family.module().models().get(0).role();
    pinned.put(main, new ModelRef(pinned.get(main).name(), java.util.OptionalInt.of(version)));
    return new PipelineSettings(
        name,
        family,
        pinned,
        inputTopic,
        outputTopics,
        deadLetterTopic,
        groupId,
        batch,
        device,
        tuning,
        maxInputAge,
        warmup,
        recordTimeoutMillis,
        delivery,
        commitIntervalMillis);
  }

  public int maxInFlightRecords() {
    return batch.queueCapacity();
  }
}
