package streaminfer.config;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import streaminfer.stream.KafkaClientProperties;

/**
 * The effective configuration as YAML, every default filled in, for {@code config print}; secrets
 * in the Kafka properties are masked.
 */
public final class ConfigPrinter {
  // Family settings are records, some with Optional components (a setting that defaults to the
  // model's own value); without jackson-datatype-jdk8 Jackson refuses those, so an empty one prints
  // as null and a present one as its value.
  private static final ObjectMapper SETTINGS =
      ConfigLoader.YAML
          .copy()
          .registerModule(new SimpleModule("optional-settings").addSerializer(new OptionalValue()));

  private ConfigPrinter() {}

  public static String yaml(EngineSettings settings) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("kafka", KafkaClientProperties.masked(settings.kafka()));
    BrokerSettings broker = settings.broker();
    root.put(
        "embeddedBroker",
        map(
            "enabled",
            broker.enabled(),
            "dataDir",
            broker.dataDir().toString(),
            "port",
            broker.port()));
    root.put(
        "models",
        map(
            "dir",
            settings.modelsDir().toString(),
            "schemasDir",
            settings.schemasDir().map(Object::toString).orElse(null),
            "pollSeconds",
            settings.modelPollSeconds()));
    root.put(
        "topics", map("prefix", settings.topicPrefix(), "partitions", settings.topicPartitions()));
    OpsSettings ops = settings.ops();
    root.put(
        "ops",
        map(
            "bindAddress",
            ops.bindAddress(),
            "port",
            ops.port(),
            "reportEverySeconds",
            ops.reportEverySeconds(),
            "dashboard",
            map(
                "enabled",
                ops.dashboard().enabled(),
                "picturesPerSecond",
                ops.dashboard().picturesPerSecond(),
                "maxStreams",
                ops.dashboard().maxStreams())));
    root.put(
        "kafkaWarmup",
        map("topic", settings.kafkaWarmup().orElse(""), "records", settings.kafkaWarmupRecords()));
    root.put("pipelines", settings.pipelines().stream().map(ConfigPrinter::pipeline).toList());
    try {
      return ConfigLoader.YAML.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the effective configuration cannot be written", e);
    }
  }

  private static Map<String, Object> pipeline(PipelineSettings pipeline) {
    Map<String, Object> models = new LinkedHashMap<>();
    pipeline
        .models()
        .forEach(
            (role, ref) ->
                models.put(
                    role,
                    map(
                        "name",
                        ref.name(),
                        "version",
                        ref.version().isPresent() ? ref.version().getAsInt() : "latest")));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", pipeline.name());
    out.put("family", pipeline.family().module().name());
    out.put("models", models);
    out.put("input", pipeline.inputTopic());
    out.put("outputs", pipeline.outputTopics());
    out.put("deadLetterTopic", pipeline.deadLetterTopic());
    out.put("group", pipeline.groupId());
    out.put(
        "batch",
        map(
            "maxSize",
            pipeline.batch().maxBatchSize(),
            "maxDelayMillis",
            pipeline.batch().maxBatchDelayMillis(),
            "concurrency",
            pipeline.batch().concurrency(),
            "maxInFlight",
            pipeline.batch().queueCapacity()));
    out.put("device", pipeline.device().label());
    out.put("intraOpThreads", pipeline.tuning().intraOpThreads());
    out.put("cudaDevice", pipeline.tuning().cudaDeviceId());
    out.put("maxInputAgeMillis", pipeline.maxInputAge().map(age -> age.toMillis()).orElse(0L));
    out.put("recordTimeoutMillis", pipeline.recordTimeoutMillis());
    out.put("delivery", pipeline.delivery().configName());
    out.put("commitIntervalMillis", pipeline.commitIntervalMillis());
    out.put(
        "warmup",
        map("runs", pipeline.warmup().runs(), "batchSizes", pipeline.warmup().batchSizes()));
    out.put("settings", SETTINGS.valueToTree(pipeline.family().settings()));
    return out;
  }

  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  /** An Optional as its value, or null when empty. */
  private static final class OptionalValue extends StdSerializer<Optional<?>> {
    private static final long serialVersionUID = 1L;

    OptionalValue() {
      super(Optional.class, false);
    }

    @Override
    public void serialize(Optional<?> value, JsonGenerator out, SerializerProvider provider)
        throws IOException {
      provider.defaultSerializeValue(value.orElse(null), out);
    }
  }
}
