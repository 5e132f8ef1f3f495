package streaminfer.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import streaminfer.batch.BatchConfig;
import streaminfer.family.ConfiguredFamily;
import streaminfer.family.FamilyModule;
import streaminfer.family.FamilyModules;
import streaminfer.family.ModelRole;
import streaminfer.family.TopicSpec;
import streaminfer.runtime.DevicePolicy;
import streaminfer.runtime.SessionTuning;
import streaminfer.runtime.Warmup;
import streaminfer.stream.Delivery;
import streaminfer.stream.StreamConfig;

/**
 * Reads the configuration: the YAML file, then {@link EnvironmentOverrides}, then the command
 * line's few flags ({@link ConfigTree}), in rising precedence; then validates all of it before
 * anything starts, naming the key, the bad value and what is allowed. Without a file every family
 * on the class path gets one pipeline with its defaults.
 */
public final class ConfigLoader {
  static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .disable(com.fasterxml.jackson.databind.SerializationFeature.FAIL_ON_EMPTY_BEANS);
  private static final Pattern PIPELINE_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
  private static final String VERSION_LATEST = "latest";
  // As StreamConfig's default: far above any batch's latency, well below a stuck partition's cost.
  private static final long DEFAULT_RECORD_TIMEOUT_MILLIS = 60_000;
  private static final Set<String> ENGINE_OWNED_PROPERTIES =
      Set.of(
          "enable.auto.commit",
          "group.id",
          "key.serializer",
          "value.serializer",
          "key.deserializer",
          "value.deserializer",
          "transactional.id");

  private final FamilyModules families;
  private final Map<String, String> environment;

  public ConfigLoader(FamilyModules families, Map<String, String> environment) {
    this.families = families;
    this.environment = Map.copyOf(environment);
  }

  /**
   * The file (or an empty one) with the environment applied: ready for flags, then {@link #read}.
   */
  public ObjectNode tree(Optional<Path> file) {
    ObjectNode root = file.map(ConfigLoader::parse).orElseGet(JsonNodeFactory.instance::objectNode);
    if (file.isEmpty() && !root.has("pipelines")) {
      ArrayNode pipelines = root.putArray("pipelines");
      families.all().forEach(module -> pipelines.addObject().put("name", module.name()));
    }
    EnvironmentOverrides.apply(root, environment);
    return root;
  }

  public EngineSettings load(Optional<Path> file) {
    return read(tree(file));
  }

  private static ObjectNode parse(Path file) {
    JsonNode root;
    try {
      root = YAML.readTree(Files.readString(file));
    } catch (JacksonException e) {
      throw new ConfigException(file.toString(), "is not valid YAML: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ConfigException(file.toString(), "cannot be read: " + e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return JsonNodeFactory.instance.objectNode();
    }
    if (!(root instanceof ObjectNode object)) {
      throw new ConfigException(file.toString(), "must hold a mapping at its top level");
    }
    return object;
  }

  /** Validates the whole tree into settings; the first problem found is thrown. */
  public EngineSettings read(ObjectNode tree) {
    ConfigNode root = new ConfigNode("", tree);
    Map<String, String> kafka = new LinkedHashMap<>(root.stringMap("kafka"));
    kafka.putIfAbsent("bootstrap.servers", "127.0.0.1:9092");
    for (String property : kafka.keySet()) {
      if (ENGINE_OWNED_PROPERTIES.contains(property)) {
        throw new ConfigException(
            "kafka." + property,
            "is set by the engine itself (offsets are committed only after results are"
                + " acknowledged; groups and serializers are per pipeline); remove it");
      }
    }
    ConfigNode topics = root.child("topics");
    String prefix = topics.text("prefix", "");
    int partitions = topics.integer("partitions", 3, 1, 10_000);
    topics.rejectUnknownKeys();
    BrokerSettings broker = broker(root.child("embeddedBroker"), partitions);
    if (!broker.enabled() && kafka.get("bootstrap.servers").isBlank()) {
      throw new ConfigException(
          "kafka.bootstrap.servers",
          "is empty: name the brokers (host:port,...), e.g. with"
              + " STREAMINFER__KAFKA__BOOTSTRAP_SERVERS or --bootstrap");
    }
    ConfigNode models = root.child("models");
    Path modelsDir = Path.of(models.text("dir", "models"));
    Optional<Path> schemasDir = models.text("schemasDir").map(Path::of);
    int modelPollSeconds = models.integer("pollSeconds", 0, 0, 86_400);
    models.rejectUnknownKeys();
    OpsSettings ops = ops(root.child("ops"));
    ConfigNode warmup = root.child("kafkaWarmup");
    Optional<String> warmupTopic =
        warmup.text("topic").filter(topic -> !topic.isBlank()).map(topic -> prefix + topic);
    int warmupRecords = warmup.integer("records", 2000, 1, 1_000_000);
    warmup.rejectUnknownKeys();
    ObjectNode defaults = root.child("defaults").rawNode();
    List<PipelineSettings> pipelines = new ArrayList<>();
    for (ConfigNode node : root.sections("pipelines")) {
      pipelines.add(pipeline(withDefaults(node, defaults), prefix));
    }
    root.rejectUnknownKeys();
    checkDistinct(pipelines);
    return new EngineSettings(
        kafka,
        broker,
        modelsDir,
        schemasDir,
        prefix,
        partitions,
        ops,
        warmupTopic,
        warmupRecords,
        modelPollSeconds,
        pipelines);
  }

  private static BrokerSettings broker(ConfigNode node, int partitions) {
    BrokerSettings settings =
        new BrokerSettings(
            node.bool("enabled", false),
            Path.of(
                node.text(
                    "dataDir",
                    Path.of(System.getProperty("java.io.tmpdir"), "streaminfer-kafka").toString())),
            node.integer("port", 9092, 0, 65_535),
            partitions);
    node.rejectUnknownKeys();
    return settings;
  }

  private static OpsSettings ops(ConfigNode node) {
    OpsSettings defaults = OpsSettings.defaults();
    OpsSettings settings =
        new OpsSettings(
            node.text("bindAddress", defaults.bindAddress()),
            node.integer("port", defaults.port(), 0, 65_535),
            node.integer("reportEverySeconds", defaults.reportEverySeconds(), 0, 86_400),
            dashboard(node.child("dashboard"), defaults.dashboard()));
    node.rejectUnknownKeys();
    return settings;
  }

  private static DashboardSettings dashboard(ConfigNode node, DashboardSettings defaults) {
    DashboardSettings settings =
        new DashboardSettings(
            node.bool("enabled", defaults.enabled()),
            node.integer("picturesPerSecond", defaults.picturesPerSecond(), 1, 30),
            node.integer("maxStreams", defaults.maxStreams(), 1, 256));
    node.rejectUnknownKeys();
    return settings;
  }

  /** The pipeline's keys over the {@code defaults} section's (sections merged key by key). */
  private static ConfigNode withDefaults(ConfigNode pipeline, ObjectNode defaults) {
    ObjectNode merged = defaults.deepCopy();
    ConfigTree.merge(merged, pipeline.rawNode());
    return new ConfigNode(pipeline.path(), merged);
  }

  private PipelineSettings pipeline(ConfigNode node, String prefix) {
    String name = node.requiredText("name");
    if (!PIPELINE_NAME.matcher(name).matches()) {
      throw new ConfigException(
          node.key("name"),
          "must be lower case letters, digits and '-', starting with a letter or digit, was '"
              + name
              + "'");
    }
    String familyName = node.text("family", name);
    if (!families.contains(familyName)) {
      throw new ConfigException(
          node.key("family"),
          "unknown family '"
              + familyName
              + "'; this build serves "
              + families.all().stream().map(FamilyModule::name).toList());
    }
    FamilyModule<?> module = families.get(familyName);
    Map<String, ModelRef> models = models(node, module);
    String input = prefix + node.text("input", module.input().defaultName());
    Map<String, String> outputs = outputs(node, module, prefix);
    String deadLetters = node.text("deadLetterTopic").map(t -> prefix + t).orElse(input + ".dlq");
    String group = node.text("group", "streaminfer-" + prefix + name);
    BatchConfig batch = batch(node.child("batch"));
    DevicePolicy device =
        DevicePolicy.parse(
            node.choice("device", "prefer-gpu", List.of("gpu", "prefer-gpu", "cpu")));
    SessionTuning tuning =
        new SessionTuning(
            node.integer("intraOpThreads", 0, 0, 1024), node.integer("cudaDevice", 0, 0, 64));
    long maxAge = node.longValue("maxInputAgeMillis", 0, 0, Long.MAX_VALUE);
    long recordTimeout =
        node.longValue(
            "recordTimeoutMillis", DEFAULT_RECORD_TIMEOUT_MILLIS, 1, TimeUnit.DAYS.toMillis(1));
    Delivery delivery =
        Delivery.parse(
            node.choice("delivery", Delivery.AT_LEAST_ONCE.configName(), Delivery.configNames()));
    long commitInterval =
        node.longValue(
            "commitIntervalMillis",
            StreamConfig.DEFAULT_COMMIT_INTERVAL_MILLIS,
            1,
            TimeUnit.HOURS.toMillis(1));
    Warmup warmup = warmup(node.child("warmup"), batch);
    ConfiguredFamily<?> family = ConfiguredFamily.read(module, node.child("settings"));
    node.rejectUnknownKeys();
    return new PipelineSettings(
        name,
        family,
        models,
        input,
        outputs,
        deadLetters,
        group,
        batch,
        device,
        tuning,
        maxAge == 0 ? Optional.empty() : Optional.of(Duration.ofMillis(maxAge)),
        warmup,
        recordTimeout,
        delivery,
        commitInterval);
  }

  /** By default each model runs twice at batch size 1 and at the pipeline's largest batch. */
  private static Warmup warmup(ConfigNode node, BatchConfig batch) {
    int runs = node.integer("runs", 2, 0, 1_000);
    List<Integer> sizes =
        node.integers("batchSizes", List.of(1, batch.maxBatchSize()), 1, batch.maxBatchSize());
    node.rejectUnknownKeys();
    return new Warmup(runs, sizes.stream().distinct().toList());
  }

  /** {@code model}/{@code version} name the main role; {@code models} any role by name. */
  private static Map<String, ModelRef> models(ConfigNode node, FamilyModule<?> module) {
    Map<String, ModelRef> refs = new LinkedHashMap<>();
    ModelRole main = module.models().get(0);
    refs.put(
        main.role(),
        new ModelRef(
            node.text("model", main.defaultModel()),
            version(node, "version", node.key("version"))));
    ConfigNode named = node.child("models");
    Set<String> roles = new HashSet<>();
    module.models().forEach(role -> roles.add(role.role()));
    for (String role : named.keys()) {
      if (!roles.contains(role)) {
        throw new ConfigException(
            named.key(role), "is not a model role of family " + module.name() + ": " + roles);
      }
      ConfigNode entry = named.child(role);
      ModelRef ref =
          named.rawNode().get(role).isValueNode()
              ? ModelRef.latest(named.requiredText(role))
              : new ModelRef(
                  entry.requiredText("name"), version(entry, "version", entry.key("version")));
      refs.put(role, ref);
    }
    for (ModelRole role : module.models()) {
      if (!role.isSection()) {
        refs.putIfAbsent(role.role(), ModelRef.latest(role.defaultModel()));
      }
    }
    return refs;
  }

  private static OptionalInt version(ConfigNode node, String key, String path) {
    String text = node.text(key, VERSION_LATEST).trim();
    if (text.equals(VERSION_LATEST)) {
      return OptionalInt.empty();
    }
    try {
      int version = Integer.parseInt(text);
      if (version >= 1) {
        return OptionalInt.of(version);
      }
    } catch (NumberFormatException e) {
      // reported below, with what is allowed
    }
    throw new ConfigException(
        path, "must be 'latest' or a version number >= 1, was '" + text + "'");
  }

  /** {@code output} names the first output role; {@code outputs} any role by name. */
  private static Map<String, String> outputs(
      ConfigNode node, FamilyModule<?> module, String prefix) {
    Map<String, String> topics = new LinkedHashMap<>();
    List<TopicSpec> specs = module.outputs();
    node.text("output").ifPresent(topic -> topics.put(specs.get(0).role(), prefix + topic));
    ConfigNode named = node.child("outputs");
    for (String role : named.keys()) {
      if (specs.stream().noneMatch(spec -> spec.role().equals(role))) {
        throw new ConfigException(
            named.key(role),
            "is not an output of family "
                + module.name()
                + ": "
                + specs.stream().map(TopicSpec::role).toList());
      }
      topics.put(role, prefix + named.requiredText(role));
    }
    specs.forEach(spec -> topics.putIfAbsent(spec.role(), prefix + spec.defaultName()));
    return topics;
  }

  private static BatchConfig batch(ConfigNode node) {
    BatchConfig defaults = BatchConfig.defaults();
    int maxSize = node.integer("maxSize", defaults.maxBatchSize(), 1, 65_536);
    long maxDelay = node.longValue("maxDelayMillis", defaults.maxBatchDelayMillis(), 0, 60_000);
    int concurrency = node.integer("concurrency", defaults.concurrency(), 1, 256);
    int maxInFlight =
        node.integer("maxInFlight", Math.max(defaults.queueCapacity(), maxSize), 1, 1_000_000);
    if (maxInFlight < maxSize) {
      throw new ConfigException(
          node.key("maxInFlight"),
          "must hold at least one full batch (maxSize " + maxSize + "), was " + maxInFlight);
    }
    node.rejectUnknownKeys();
    return new BatchConfig(maxSize, maxDelay, maxInFlight, concurrency);
  }

  private static void checkDistinct(List<PipelineSettings> pipelines) {
    Map<String, PipelineSettings> byName = new HashMap<>();
    Map<String, PipelineSettings> byGroupAndInput = new HashMap<>();
    for (PipelineSettings pipeline : pipelines) {
      if (byName.putIfAbsent(pipeline.name(), pipeline) != null) {
        throw new ConfigException(
            "pipelines[" + pipeline.name() + "].name",
            "two pipelines are named " + pipeline.name());
      }
      PipelineSettings sharing =
          byGroupAndInput.putIfAbsent(pipeline.groupId() + " " + pipeline.inputTopic(), pipeline);
      if (sharing != null) {
        throw new ConfigException(
            "pipelines[" + pipeline.name() + "].group",
            "pipelines "
                + sharing.name()
                + " and "
                + pipeline.name()
                + " both consume "
                + pipeline.inputTopic()
                + " in group "
                + pipeline.groupId()
                + "; each would get only some of its partitions");
      }
    }
  }
}
