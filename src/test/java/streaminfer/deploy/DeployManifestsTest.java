package streaminfer.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import streaminfer.config.ConfigLoader;
import streaminfer.config.EngineSettings;
import streaminfer.config.PipelineSettings;
import streaminfer.family.FamilyModules;
import streaminfer.ops.OpsServer;
import streaminfer.runtime.DevicePolicy;
import streaminfer.stream.StreamConfig;

/**
 * Renders every kustomize overlay under {@code k8s/overlays} (and {@code k8s/monitoring}) with
 * {@code kubectl kustomize} — Debian's kubectl 1.20 (kustomize v2.0.3), which {@code make deps}
 * installs where no kubectl is on the PATH, or any newer one — and checks what a cluster and the
 * engine would make of the result:
 *
 * <ul>
 *   <li>every built-in object is valid against the Kubernetes API's types (fabric8's model classes:
 *       no unknown field at any depth, every value of its field's type), and KEDA's objects use
 *       only fields and Kafka-scaler parameters KEDA knows, with string metadata;
 *   <li>the ConfigMaps the Deployment mounts are the generated ones (hash suffix), and the
 *       configuration file plus environment the pod gets loads through the engine's own {@link
 *       ConfigLoader};
 *   <li>one KEDA trigger per pipeline of that configuration, naming its group and input topic,
 *       against the broker the pods use; an overlay's new broker address reaches every trigger;
 *   <li>the probes' paths are answered by the engine's {@link OpsServer} on the configured port;
 *   <li>the grace period exceeds the drain timeout; images are pinned; nothing but KEDA scales.
 * </ul>
 */
class DeployManifestsTest {
  private static final Path K8S = Path.of("k8s");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  // kustomize's generated-name suffix: ten characters of a hash of the contents.
  private static final Pattern HASHED = Pattern.compile("(.+)-([a-z0-9]{10})");
  private static final Pattern DIGEST = Pattern.compile(".+@sha256:[0-9a-f]{64}");
  // After the drain, the pipelines commit and close their clients; this is their share.
  private static final long CLOSE_MARGIN_MILLIS = 10_000;

  /** ScaledObject fields (keda.sh/v1alpha1) and the Kafka scaler's parameters, KEDA 2.10+. */
  private static final Set<String> SCALED_OBJECT_SPEC =
      Set.of(
          "scaleTargetRef",
          "pollingInterval",
          "cooldownPeriod",
          "initialCooldownPeriod",
          "idleReplicaCount",
          "minReplicaCount",
          "maxReplicaCount",
          "fallback",
          "advanced",
          "triggers");

  private static final Set<String> TRIGGER =
      Set.of("type", "name", "metadata", "authenticationRef", "metricType", "useCachedMetrics");
  private static final Set<String> KAFKA_METADATA =
      Set.of(
          "bootstrapServers",
          "consumerGroup",
          "topic",
          "lagThreshold",
          "activationLagThreshold",
          "offsetResetPolicy",
          "allowIdleConsumers",
          "scaleToZeroOnInvalidOffset",
          "excludePersistentLag",
          "limitToPartitionsWithLag",
          "partitionLimitation",
          "version",
          "sasl",
          "tls",
          "unsafeSsl");
  private static final Set<String> KAFKA_AUTH_PARAMETERS =
      Set.of("sasl", "username", "password", "tls", "ca", "cert", "key", "keyPassword");

  private static Vertx vertx;
  private static int opsPort;
  private static String kubectl;

  @TempDir Path dir;

  @BeforeAll
  static void startTheEnginesOpsServer() throws Exception {
    kubectl = kubectl();
    vertx = Vertx.vertx();
    OpsServer server =
        new OpsServer(
            "127.0.0.1",
            0,
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            List.of(),
            List.of());
    vertx
        .deployVerticle(server)
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    opsPort = server.actualPort();
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  static Stream<String> overlays() throws IOException {
    try (Stream<Path> dirs = Files.list(K8S.resolve("overlays"))) {
      List<String> names =
          dirs.filter(d -> Files.exists(d.resolve("kustomization.yaml")))
              .map(d -> d.getFileName().toString())
              .sorted()
              .toList();
      assertTrue(names.containsAll(List.of("cpu", "gpu", "sasl", "models-pvc")), names.toString());
      return names.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void everyOverlayRendersToValidObjectsThatAgreeWithTheEngine(String overlay) throws Exception {
    Rendered rendered = render(K8S.resolve("overlays").resolve(overlay));
    rendered.validateAgainstTheApiSchema();

    Deployment deployment = rendered.one(Deployment.class, "Deployment");
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    assertNull(deployment.getSpec().getReplicas(), "KEDA owns replicas; a value would flap");
    assertTrue(
        rendered.ofKind("HorizontalPodAutoscaler").isEmpty(),
        "only KEDA scales (its HPA, on broker-side lag); an HPA on the per-pod lag gauge would"
            + " scale to its maximum");
    Container engine = container(pod, "streaminfer");

    // Images: a digest, or the release's own tag; never a moving one.
    String release = releaseVersion();
    for (Container c : allContainers(pod)) {
      String image = c.getImage();
      assertTrue(
          DIGEST.matcher(image).matches()
              || image.matches(".*streaminfer:" + Pattern.quote(release) + "-(cpu|cuda)"),
          overlay + ": image " + image + " is neither digest-pinned nor the release's tag");
    }

    // The ConfigMaps the pod uses are generated (hash suffix) and exist.
    Map<String, ConfigMap> configMaps = new LinkedHashMap<>();
    rendered.all(ConfigMap.class, "ConfigMap").forEach(cm -> configMaps.put(name(cm), cm));
    ConfigMap config = configMapOf(pod, configMaps, "streaminfer-config");
    Map<String, String> environment = environment(engine, configMaps);
    assertTrue(
        engine.getEnvFrom().stream()
            .anyMatch(
                from ->
                    from.getConfigMapRef() != null
                        && from.getConfigMapRef().getName().startsWith("streaminfer-env-")),
        "the pod's environment comes from the generated streaminfer-env");

    // The configuration the pod loads: the mounted file at STREAMINFER_CONFIG plus the environment.
    String configPath = environment.get("STREAMINFER_CONFIG");
    assertEquals("/etc/streaminfer/streaminfer.yaml", configPath);
    assertTrue(
        engine.getVolumeMounts().stream()
            .anyMatch(
                m ->
                    m.getMountPath().equals("/etc/streaminfer")
                        && volume(pod, m.getName()).getConfigMap() != null
                        && volume(pod, m.getName()).getConfigMap().getName().equals(name(config))),
        "the configuration file is mounted from " + name(config));
    Path file = dir.resolve("streaminfer.yaml");
    Files.writeString(file, config.getData().get("streaminfer.yaml"));
    EngineSettings settings =
        new ConfigLoader(FamilyModules.discover(), environment).load(Optional.of(file));
    assertFalse(settings.broker().enabled(), "no embedded broker in a cluster");
    assertFalse(settings.pipelines().isEmpty());

    // Probes: the engine answers their paths on the port the configuration binds.
    assertEquals("0.0.0.0", settings.ops().bindAddress(), "probes come from outside the pod");
    for (Probe probe :
        new Probe[] {
          engine.getStartupProbe(), engine.getLivenessProbe(), engine.getReadinessProbe()
        }) {
      assertNotNull(probe, overlay + ": every probe set");
      HTTPGetAction get = probe.getHttpGet();
      assertEquals(settings.ops().port(), port(engine, get.getPort()), "probe port " + get);
      assertEquals(200, opsServerStatus(get.getPath()), "the engine serves " + get.getPath());
    }

    // Drain: SIGKILL must not come before the pipelines drained, committed and closed.
    long grace = pod.getTerminationGracePeriodSeconds() * 1000;
    assertTrue(
        grace > StreamConfig.DEFAULT_DRAIN_TIMEOUT_MILLIS + CLOSE_MARGIN_MILLIS,
        "terminationGracePeriodSeconds "
            + pod.getTerminationGracePeriodSeconds()
            + " leaves no time after the "
            + StreamConfig.DEFAULT_DRAIN_TIMEOUT_MILLIS
            + " ms drain");

    // KEDA: one trigger per pipeline, its group and input topic, the pods' broker.
    JsonNode scaledObject = rendered.onlyOfKind("ScaledObject");
    assertEquals(
        deployment.getMetadata().getName(),
        scaledObject.path("spec").path("scaleTargetRef").path("name").asText());
    Set<String> expected = new TreeSet<>();
    for (PipelineSettings pipeline : settings.pipelines()) {
      expected.add(pipeline.groupId() + " on " + pipeline.inputTopic());
    }
    Set<String> triggered = new TreeSet<>();
    for (JsonNode trigger : scaledObject.path("spec").path("triggers")) {
      assertEquals("kafka", trigger.path("type").asText());
      JsonNode metadata = trigger.path("metadata");
      assertTrue(
          triggered.add(
              metadata.path("consumerGroup").asText() + " on " + metadata.path("topic").asText()),
          "a duplicate trigger: " + trigger);
      assertEquals(
          settings.bootstrapServers(),
          metadata.path("bootstrapServers").asText(),
          "KEDA must read lag from the cluster the pods consume from");
      assertEquals("earliest", metadata.path("offsetResetPolicy").asText(), "as the consumers");
      JsonNode auth = trigger.path("authenticationRef");
      if (!auth.isMissingNode()) {
        rendered.named("TriggerAuthentication", auth.path("name").asText());
      }
    }
    assertEquals(expected, triggered, overlay + ": the triggers and the configuration's pipelines");
    int partitions = settings.topicPartitions();
    assertTrue(
        scaledObject.path("spec").path("maxReplicaCount").asInt() <= partitions,
        "replicas beyond the partition count would sit idle");

    // The Service and the PodDisruptionBudget select the pods; the Service's port exists.
    Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
    Service service = rendered.one(Service.class, "Service");
    assertTrue(podLabels.entrySet().containsAll(service.getSpec().getSelector().entrySet()));
    service
        .getSpec()
        .getPorts()
        .forEach(p -> assertEquals(settings.ops().port(), port(engine, p.getTargetPort())));
    PodDisruptionBudget pdb = rendered.one(PodDisruptionBudget.class, "PodDisruptionBudget");
    assertTrue(
        podLabels.entrySet().containsAll(pdb.getSpec().getSelector().getMatchLabels().entrySet()));

    // Secrets and claims the pod names exist in the overlay or are marked optional.
    Set<String> secrets = new TreeSet<>();
    rendered.all(Secret.class, "Secret").forEach(s -> secrets.add(name(s)));
    for (EnvFromSource from : engine.getEnvFrom()) {
      if (from.getSecretRef() != null && !Boolean.TRUE.equals(from.getSecretRef().getOptional())) {
        assertTrue(secrets.contains(from.getSecretRef().getName()), from.toString());
      }
    }
    for (EnvVar env : engine.getEnv()) {
      if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
        var ref = env.getValueFrom().getSecretKeyRef();
        Secret secret = rendered.named(Secret.class, "Secret", ref.getName());
        assertTrue(secret.getStringData().containsKey(ref.getKey()), ref.toString());
      }
    }
    Set<String> claims = new TreeSet<>();
    rendered
        .all(PersistentVolumeClaim.class, "PersistentVolumeClaim")
        .forEach(c -> claims.add(name(c)));
    for (Volume volume : pod.getVolumes()) {
      if (volume.getPersistentVolumeClaim() != null) {
        assertTrue(claims.contains(volume.getPersistentVolumeClaim().getClaimName()));
      }
    }
    if (overlay.equals("models-pvc")) {
      assertTrue(
          engine.getVolumeMounts().stream()
              .anyMatch(m -> m.getMountPath().equals(settings.modelsDir().toString())),
          "the models volume is mounted at models.dir");
      assertTrue(settings.modelPollSeconds() > 0, "a volume's new versions are picked up");
    }
  }

  @Test
  void theSaslExampleLogsTheEngineAndEveryTriggerInWithOneSecret() throws Exception {
    Rendered rendered = render(K8S.resolve("overlays/sasl"));
    Deployment deployment = rendered.one(Deployment.class, "Deployment");
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    Container engine = container(pod, "streaminfer");
    Map<String, ConfigMap> configMaps = new LinkedHashMap<>();
    rendered.all(ConfigMap.class, "ConfigMap").forEach(cm -> configMaps.put(name(cm), cm));
    Map<String, String> environment = environment(engine, configMaps);
    assertEquals("SASL_SSL", environment.get("STREAMINFER__KAFKA__SECURITY_PROTOCOL"));
    assertEquals("SCRAM-SHA-512", environment.get("STREAMINFER__KAFKA__SASL_MECHANISM"));
    // $(VAR) expands only variables defined earlier in the list.
    List<String> names = engine.getEnv().stream().map(EnvVar::getName).toList();
    String jaas = environment.get("STREAMINFER__KAFKA__SASL_JAAS_CONFIG");
    Matcher reference = Pattern.compile("\\$\\(([A-Z_]+)\\)").matcher(jaas);
    int references = 0;
    while (reference.find()) {
      references++;
      int defined = names.indexOf(reference.group(1));
      assertTrue(
          defined >= 0 && defined < names.indexOf("STREAMINFER__KAFKA__SASL_JAAS_CONFIG"),
          reference.group(1) + " is defined before the JAAS line");
    }
    assertEquals(2, references, jaas);

    JsonNode triggers = rendered.onlyOfKind("ScaledObject").path("spec").path("triggers");
    for (JsonNode trigger : triggers) {
      String auth = trigger.path("authenticationRef").path("name").asText();
      assertFalse(auth.isEmpty(), "every trigger authenticates: " + trigger);
      JsonNode triggerAuth = rendered.named("TriggerAuthentication", auth);
      Set<String> parameters = new TreeSet<>();
      for (JsonNode ref : triggerAuth.path("spec").path("secretTargetRef")) {
        parameters.add(ref.path("parameter").asText());
        Secret secret = rendered.named(Secret.class, "Secret", ref.path("name").asText());
        assertTrue(secret.getStringData().containsKey(ref.path("key").asText()), ref.toString());
        if (ref.path("parameter").asText().equals("sasl")) {
          assertEquals("scram_sha512", secret.getStringData().get(ref.path("key").asText()));
        }
      }
      assertTrue(parameters.containsAll(Set.of("sasl", "username", "password", "tls")));
    }
    Secret secret = rendered.named(Secret.class, "Secret", "streaminfer-kafka-sasl");
    secret
        .getStringData()
        .forEach(
            (key, value) -> {
              if (key.equals("username") || key.equals("password")) {
                assertTrue(value.startsWith("CHANGE-ME"), "a placeholder, not a credential");
              }
            });
  }

  /** An operator's own overlay that only names another broker: every trigger follows it. */
  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void anOverlaysBrokerAddressReachesTheConfigMapAndEveryTrigger(String overlay) throws Exception {
    Path mine = Files.createDirectories(dir.resolve("mine"));
    Files.writeString(
        mine.resolve("kustomization.yaml"),
        """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        bases:
          - %s
        configMapGenerator:
          - name: streaminfer-env
            behavior: merge
            literals:
              - STREAMINFER__KAFKA__BOOTSTRAP_SERVERS=broker-0.example.test:9093,broker-1.example.test:9093
        """
            // Relative: kustomize refuses an absolute base.
            .formatted(
                mine.toAbsolutePath()
                    .relativize(K8S.resolve("overlays").resolve(overlay).toAbsolutePath())));
    Rendered rendered = render(mine);
    rendered.validateAgainstTheApiSchema();
    String servers = "broker-0.example.test:9093,broker-1.example.test:9093";
    ConfigMap env =
        rendered.all(ConfigMap.class, "ConfigMap").stream()
            .filter(cm -> name(cm).startsWith("streaminfer-env-"))
            .findFirst()
            .orElseThrow();
    assertEquals(servers, env.getData().get("STREAMINFER__KAFKA__BOOTSTRAP_SERVERS"));
    JsonNode triggers = rendered.onlyOfKind("ScaledObject").path("spec").path("triggers");
    assertTrue(triggers.size() > 1);
    for (JsonNode trigger : triggers) {
      assertEquals(servers, trigger.path("metadata").path("bootstrapServers").asText());
    }
    // And a changed address is a new ConfigMap name: the pods roll.
    Rendered original = render(K8S.resolve("overlays").resolve(overlay));
    String before =
        original.all(ConfigMap.class, "ConfigMap").stream()
            .map(DeployManifestsTest::name)
            .filter(n -> n.startsWith("streaminfer-env-"))
            .findFirst()
            .orElseThrow();
    assertNotEquals(before, name(env));
  }

  @Test
  void theMonitoringKustomizationRendersAndItsPodMonitorScrapesThePods() throws Exception {
    Rendered monitoring = render(K8S.resolve("monitoring"));
    monitoring.validateAgainstTheApiSchema();
    JsonNode podMonitor = monitoring.onlyOfKind("PodMonitor");
    Deployment deployment = render(K8S.resolve("overlays/cpu")).one(Deployment.class, "Deployment");
    Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
    podMonitor
        .path("spec")
        .path("selector")
        .path("matchLabels")
        .properties()
        .forEach(e -> assertEquals(e.getValue().asText(), podLabels.get(e.getKey())));
    Container engine = container(deployment.getSpec().getTemplate().getSpec(), "streaminfer");
    for (JsonNode endpoint : podMonitor.path("spec").path("podMetricsEndpoints")) {
      String port = endpoint.path("port").asText();
      assertTrue(
          engine.getPorts().stream().anyMatch(p -> port.equals(p.getName())), "port " + port);
      assertEquals(200, opsServerStatus(endpoint.path("path").asText()));
    }
    ConfigMap dashboard = monitoring.one(ConfigMap.class, "ConfigMap");
    assertEquals("1", dashboard.getMetadata().getLabels().get("grafana_dashboard"));
  }

  @Test
  void theOverlaysChangeOnlyWhatTheyMust() throws Exception {
    Rendered cpu = render(K8S.resolve("overlays/cpu"));
    Rendered gpu = render(K8S.resolve("overlays/gpu"));
    PodSpec gpuPod = gpu.one(Deployment.class, "Deployment").getSpec().getTemplate().getSpec();
    Container gpuEngine = container(gpuPod, "streaminfer");
    assertEquals(
        "1", gpuEngine.getResources().getLimits().get("nvidia.com/gpu").toString(), "one GPU");
    Map<String, ConfigMap> configMaps = new HashMap<>();
    gpu.all(ConfigMap.class, "ConfigMap").forEach(cm -> configMaps.put(name(cm), cm));
    Path file = dir.resolve("gpu.yaml");
    Files.writeString(
        file,
        configMapOf(gpuPod, configMaps, "streaminfer-config").getData().get("streaminfer.yaml"));
    EngineSettings settings =
        new ConfigLoader(FamilyModules.discover(), environment(gpuEngine, configMaps))
            .load(Optional.of(file));
    settings.pipelines().forEach(p -> assertEquals(DevicePolicy.GPU, p.device(), p.name()));
    // The same configuration file: only the environment differs.
    assertEquals(
        names(cpu.all(ConfigMap.class, "ConfigMap"), "streaminfer-config-"),
        names(gpu.all(ConfigMap.class, "ConfigMap"), "streaminfer-config-"));
  }

  // ---- rendering ----------------------------------------------------------------------------

  /** The kubectl on the PATH; {@code make deps} installs Debian's where there is none. */
  private static String kubectl() {
    String override = System.getenv("KUBECTL");
    if (override != null && !override.isBlank()) {
      return override;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "kubectl"))) {
        return Path.of(dir, "kubectl").toString();
      }
    }
    return fail(
        "no kubectl on the PATH: `make deps` installs Debian's kubernetes-client (kubectl 1.20,"
            + " kustomize v2.0.3), which renders k8s/");
  }

  private static Rendered render(Path kustomization) throws Exception {
    Process process =
        new ProcessBuilder(kubectl, "kustomize", kustomization.toString())
            .redirectError(ProcessBuilder.Redirect.PIPE)
            .start();
    byte[] out;
    byte[] err;
    try (var stdout = process.getInputStream();
        var stderr = process.getErrorStream()) {
      out = stdout.readAllBytes();
      err = stderr.readAllBytes();
    }
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "kubectl kustomize " + kustomization);
    assertEquals(
        0,
        process.exitValue(),
        "kubectl kustomize " + kustomization + ": " + new String(err, StandardCharsets.UTF_8));
    List<ObjectNode> objects = new ArrayList<>();
    try (var parser = YAML.getFactory().createParser(out)) {
      var values = YAML.readValues(parser, JsonNode.class);
      while (values.hasNext()) {
        JsonNode node = values.next();
        if (node instanceof ObjectNode object && object.size() > 0) {
          objects.add(object);
        }
      }
    }
    assertFalse(objects.isEmpty(), kustomization + " rendered nothing");
    return new Rendered(kustomization, objects);
  }

  private record Rendered(Path source, List<ObjectNode> objects) {
    List<JsonNode> ofKind(String kind) {
      return objects.stream()
          .filter(o -> o.path("kind").asText().equals(kind))
          .map(o -> (JsonNode) o)
          .toList();
    }

    JsonNode onlyOfKind(String kind) {
      List<JsonNode> found = ofKind(kind);
      assertEquals(1, found.size(), source + ": one " + kind);
      return found.get(0);
    }

    JsonNode named(String kind, String name) {
      return ofKind(kind).stream()
          .filter(o -> o.path("metadata").path("name").asText().equals(name))
          .findFirst()
          .orElseGet(() -> fail(source + ": no " + kind + " named " + name));
    }

    <T> T named(Class<T> type, String kind, String name) {
      return convert(named(kind, name), type);
    }

    <T> List<T> all(Class<T> type, String kind) {
      return ofKind(kind).stream().map(o -> convert(o, type)).toList();
    }

    <T> T one(Class<T> type, String kind) {
      return convert(onlyOfKind(kind), type);
    }

    /** Every object a type of the Kubernetes API or of KEDA's CRDs, with nothing unknown. */
    void validateAgainstTheApiSchema() {
      for (ObjectNode object : objects) {
        String apiVersion = object.path("apiVersion").asText();
        String kind = object.path("kind").asText();
        String where = source + ": " + kind + " " + object.path("metadata").path("name").asText();
        assertFalse(object.path("metadata").path("name").asText().isEmpty(), where + " name");
        switch (apiVersion + " " + kind) {
          case "apps/v1 Deployment" -> schemaValid(object, Deployment.class, where);
          case "v1 Service" -> schemaValid(object, Service.class, where);
          case "v1 ConfigMap" -> schemaValid(object, ConfigMap.class, where);
          case "v1 Secret" -> schemaValid(object, Secret.class, where);
          case "v1 PersistentVolumeClaim" ->
              schemaValid(object, PersistentVolumeClaim.class, where);
          case "policy/v1 PodDisruptionBudget" ->
              schemaValid(object, PodDisruptionBudget.class, where);
          case "keda.sh/v1alpha1 ScaledObject" -> scaledObject(object, where);
          case "keda.sh/v1alpha1 TriggerAuthentication" -> triggerAuthentication(object, where);
          case "monitoring.coreos.com/v1 PodMonitor", "monitoring.coreos.com/v1 PrometheusRule" ->
              assertTrue(object.path("spec").isObject(), where);
          default ->
              fail(where + ": " + apiVersion + " " + kind + " is not a type this test knows");
        }
      }
    }
  }

  private static <T> T convert(JsonNode node, Class<T> type) {
    try {
      return JSON.treeToValue(node, type);
    } catch (IOException e) {
      return fail(type.getSimpleName() + " does not fit the API's types: " + e.getMessage());
    }
  }

  /**
   * Reads the object as the API's type (wrong value types fail here) and walks it: fabric8's
   * classes keep fields they do not know in {@code additionalProperties}, so a misspelt or
   * misplaced field shows up there, at any depth.
   */
  private static void schemaValid(ObjectNode object, Class<?> type, String where) {
    Object typed = convert(object, type);
    List<String> unknown = new ArrayList<>();
    walk(typed, type.getSimpleName(), unknown, new IdentityHashMap<>());
    assertTrue(unknown.isEmpty(), where + " has fields the Kubernetes API does not: " + unknown);
    // And nothing was dropped on the way: the typed object serializes back to the same tree.
    assertEquals(normalized(object), normalized(JSON.valueToTree(typed)), where + " round trip");
  }

  private static void walk(
      Object value, String path, List<String> unknown, Map<Object, Object> seen) {
    if (value == null || seen.put(value, value) != null) {
      return;
    }
    if (value instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        walk(item, path + "[" + i++ + "]", unknown, seen);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> walk(v, path + "." + k, unknown, seen));
      return;
    }
    if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return;
    }
    for (Method method : value.getClass().getMethods()) {
      if (method.getParameterCount() != 0
          || Modifier.isStatic(method.getModifiers())
          || !method.getName().startsWith("get")
          || method.getDeclaringClass() == Object.class) {
        continue;
      }
      Object field;
      try {
        field = method.invoke(value);
      } catch (IllegalAccessException | InvocationTargetException e) {
        continue;
      }
      if (method.getName().equals("getAdditionalProperties")) {
        if (field instanceof Map<?, ?> extra && !extra.isEmpty()) {
          unknown.add(path + ": " + extra.keySet());
        }
      } else {
        walk(field, path + "." + method.getName().substring(3), unknown, seen);
      }
    }
  }

  /**
   * For comparison: fabric8 writes empty lists and maps for unset fields, which kustomize leaves
   * out, and quantities as strings ({@code nvidia.com/gpu: 1} reads back as "1").
   */
  private static JsonNode normalized(JsonNode node) {
    if (node instanceof ObjectNode object) {
      ObjectNode copy = JSON.createObjectNode();
      object
          .properties()
          .forEach(
              e -> {
                JsonNode child = normalized(e.getValue());
                if (!child.isNull()
                    && !((child.isArray() || child.isObject()) && child.isEmpty())) {
                  copy.set(e.getKey(), child);
                }
              });
      return copy;
    }
    if (node.isArray()) {
      var copy = JSON.createArrayNode();
      node.forEach(item -> copy.add(normalized(item)));
      return copy;
    }
    return node.isNull() ? node : JSON.getNodeFactory().textNode(node.asText());
  }

  private static void scaledObject(ObjectNode object, String where) {
    JsonNode spec = object.path("spec");
    assertKnown(spec, SCALED_OBJECT_SPEC, where + " spec");
    assertKnown(
        spec.path("scaleTargetRef"),
        Set.of("name", "kind", "apiVersion", "envSourceContainerName"),
        where);
    for (String count :
        List.of("minReplicaCount", "maxReplicaCount", "pollingInterval", "cooldownPeriod")) {
      assertTrue(spec.path(count).isMissingNode() || spec.path(count).isInt(), where + " " + count);
    }
    assertTrue(spec.path("triggers").isArray() && !spec.path("triggers").isEmpty(), where);
    for (JsonNode trigger : spec.path("triggers")) {
      assertKnown(trigger, TRIGGER, where + " trigger");
      assertKnown(trigger.path("authenticationRef"), Set.of("name", "kind"), where);
      JsonNode metadata = trigger.path("metadata");
      assertKnown(metadata, KAFKA_METADATA, where + " kafka trigger");
      // KEDA's metadata is map[string]string: an unquoted number is refused by the API server.
      metadata.properties().forEach(e -> assertTrue(e.getValue().isTextual(), where + " " + e));
      for (String required :
          List.of("bootstrapServers", "consumerGroup", "topic", "lagThreshold")) {
        assertFalse(metadata.path(required).asText().isBlank(), where + " " + required);
      }
      assertFalse(
          metadata.path("bootstrapServers").asText().contains("$("),
          where + ": an unresolved kustomize variable");
    }
    // The advanced HPA behavior is autoscaling/v2's HorizontalPodAutoscalerBehavior.
    JsonNode behavior =
        spec.path("advanced").path("horizontalPodAutoscalerConfig").path("behavior");
    if (!behavior.isMissingNode()) {
      Object typed =
          convert(
              behavior,
              io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior.class);
      List<String> unknown = new ArrayList<>();
      walk(typed, "behavior", unknown, new IdentityHashMap<>());
      assertTrue(unknown.isEmpty(), where + " " + unknown);
    }
  }

  private static void triggerAuthentication(ObjectNode object, String where) {
    JsonNode spec = object.path("spec");
    assertKnown(spec, Set.of("secretTargetRef", "env", "hashiCorpVault", "podIdentity"), where);
    for (JsonNode ref : spec.path("secretTargetRef")) {
      assertKnown(ref, Set.of("parameter", "name", "key"), where);
      assertTrue(KAFKA_AUTH_PARAMETERS.contains(ref.path("parameter").asText()), where + " " + ref);
    }
  }

  private static void assertKnown(JsonNode node, Set<String> known, String where) {
    if (node.isMissingNode()) {
      return;
    }
    Set<String> fields = new TreeSet<>();
    node.fieldNames().forEachRemaining(fields::add);
    fields.removeAll(known);
    assertTrue(fields.isEmpty(), where + ": unknown fields " + fields);
  }

  // ---- the pod ------------------------------------------------------------------------------

  private static String name(io.fabric8.kubernetes.api.model.HasMetadata object) {
    return object.getMetadata().getName();
  }

  private static Set<String> names(List<ConfigMap> maps, String prefix) {
    return maps.stream()
        .map(DeployManifestsTest::name)
        .filter(n -> n.startsWith(prefix))
        .collect(Collectors.toSet());
  }

  private static Container container(PodSpec pod, String name) {
    return pod.getContainers().stream()
        .filter(c -> c.getName().equals(name))
        .findFirst()
        .orElseGet(() -> fail("no container " + name));
  }

  private static List<Container> allContainers(PodSpec pod) {
    List<Container> all = new ArrayList<>(pod.getContainers());
    all.addAll(pod.getInitContainers());
    return all;
  }

  private static Volume volume(PodSpec pod, String name) {
    return pod.getVolumes().stream()
        .filter(v -> v.getName().equals(name))
        .findFirst()
        .orElseGet(() -> fail("no volume " + name));
  }

  /** The generated ConfigMap of {@code generator} that the pod mounts, by its hashed name. */
  private static ConfigMap configMapOf(
      PodSpec pod, Map<String, ConfigMap> configMaps, String generator) {
    List<String> used = new ArrayList<>();
    pod.getVolumes().stream()
        .filter(v -> v.getConfigMap() != null)
        .forEach(v -> used.add(v.getConfigMap().getName()));
    for (Container c : allContainers(pod)) {
      c.getEnvFrom().stream()
          .filter(f -> f.getConfigMapRef() != null)
          .forEach(f -> used.add(f.getConfigMapRef().getName()));
    }
    for (String name : used) {
      assertTrue(configMaps.containsKey(name), "the pod uses ConfigMap " + name + "; not rendered");
    }
    List<String> matching =
        used.stream()
            .filter(
                name -> {
                  Matcher hashed = HASHED.matcher(name);
                  return hashed.matches() && hashed.group(1).equals(generator);
                })
            .distinct()
            .toList();
    assertEquals(
        1,
        matching.size(),
        "the pod uses " + generator + " by its generated, hash-suffixed name: " + used);
    return configMaps.get(matching.get(0));
  }

  /** The container's environment as the kubelet builds it from ConfigMaps and literal values. */
  private static Map<String, String> environment(
      Container container, Map<String, ConfigMap> configMaps) {
    Map<String, String> env = new TreeMap<>();
    for (EnvFromSource from : container.getEnvFrom()) {
      if (from.getConfigMapRef() != null) {
        ConfigMap map = configMaps.get(from.getConfigMapRef().getName());
        assertNotNull(map, "ConfigMap " + from.getConfigMapRef().getName());
        env.putAll(map.getData());
      }
    }
    for (EnvVar var : container.getEnv()) {
      if (var.getValue() != null) {
        env.put(var.getName(), var.getValue());
      }
    }
    return env;
  }

  private static int port(Container container, IntOrString port) {
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    return container.getPorts().stream()
        .filter(p -> port.getStrVal().equals(p.getName()))
        .map(ContainerPort::getContainerPort)
        .findFirst()
        .orElseGet(() -> fail("no container port named " + port.getStrVal()));
  }

  private static int opsServerStatus(String path) throws Exception {
    HttpResponse<Void> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + opsPort + path)).build(),
                HttpResponse.BodyHandlers.discarding());
    return response.statusCode();
  }

  /** pom.xml's version without -SNAPSHOT: the tag a release pushes its images under. */
  private static String releaseVersion() throws IOException {
    String pom = Files.readString(Path.of("pom.xml"));
    Matcher version =
        Pattern.compile("<artifactId>streaminfer</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(pom);
    assertTrue(version.find(), "the project's version in pom.xml");
    return version.group(1).replace("-SNAPSHOT", "");
  }
}
