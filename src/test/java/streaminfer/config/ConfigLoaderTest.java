package streaminfer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import streaminfer.family.FamilyModules;
import streaminfer.runtime.DevicePolicy;

class ConfigLoaderTest {
  @TempDir Path dir;

  private EngineSettings load(String yaml) throws IOException {
    return load(yaml, Map.of());
  }

  private EngineSettings load(String yaml, Map<String, String> environment) throws IOException {
    Path file = Files.writeString(dir.resolve("streaminfer.yaml"), yaml);
    return new ConfigLoader(FamilyModules.discover(), environment).load(Optional.of(file));
  }

  private ConfigException refused(String yaml) {
    return assertThrows(ConfigException.class, () -> load(yaml));
  }

  @Test
  void theShippedExampleIsValidAndServesEveryShippedFamily() {
    EngineSettings settings =
        new ConfigLoader(FamilyModules.discover(), Map.of())
            .load(Optional.of(Path.of("streaminfer.yaml")));
    assertEquals(
        java.util.List.of("dgex", "ssd", "maskrcnn", "guesswhat", "began", "began-frames"),
        settings.pipelines().stream().map(PipelineSettings::name).toList());
    assertTrue(settings.broker().enabled());
    assertEquals("127.0.0.1", settings.ops().bindAddress());
    assertTrue(settings.ops().dashboard().enabled(), "make run shows the dashboard");
  }

  @Test
  void theImageAndKubernetesConfigurationsAreValidOnceTheBrokerIsNamed() {
    Map<String, String> environment = Map.of("STREAMINFER__KAFKA__BOOTSTRAP_SERVERS", "kafka:9092");
    for (String file :
        // The gpu overlay serves the base's file (its differences are environment overrides);
        // DeployManifestsTest loads every overlay's rendered file and environment.
        java.util.List.of("docker/streaminfer.yaml", "k8s/base/streaminfer.yaml")) {
      EngineSettings settings =
          new ConfigLoader(FamilyModules.discover(), environment).load(Optional.of(Path.of(file)));
      assertEquals("0.0.0.0", settings.ops().bindAddress(), file);
      assertEquals("kafka:9092", settings.bootstrapServers(), file);
      ConfigException unnamed =
          assertThrows(
              ConfigException.class,
              () ->
                  new ConfigLoader(FamilyModules.discover(), Map.of())
                      .load(Optional.of(Path.of(file))),
              file + " without a broker address");
      assertEquals("kafka.bootstrap.servers", unnamed.key());
    }
  }

  @Test
  void fillsEveryPipelineKeyFromTheFamilyAndTheDefaultsSection() throws IOException {
    EngineSettings settings =
        load(
            """
            defaults:
              device: cpu
              batch: {maxSize: 32, maxDelayMillis: 3}
            pipelines:
              - name: ssd
                batch: {maxSize: 8}
            """);
    PipelineSettings ssd = settings.pipelines().get(0);
    assertEquals("frames", ssd.inputTopic());
    assertEquals(Map.of("detections", "detections"), ssd.outputTopics());
    assertEquals("frames.dlq", ssd.deadLetterTopic());
    assertEquals("streaminfer-ssd", ssd.groupId());
    assertEquals(8, ssd.batch().maxBatchSize(), "the pipeline's own key wins");
    assertEquals(3, ssd.batch().maxBatchDelayMillis(), "the defaults fill the rest");
    assertEquals(DevicePolicy.CPU, ssd.device());
    assertEquals(ModelRef.latest("ssd"), ssd.models().get("main"));
    assertEquals("127.0.0.1", settings.ops().bindAddress(), "ops listen on loopback by default");
  }

  @Test
  void pinsAModelVersionAndNamesTheModelOfAnotherRole() throws IOException {
    PipelineSettings games =
        load("""
                pipelines:
                  - name: games
                    family: guesswhat
                    version: 1
                    models:
                      oracle: {name: guesswhat-oracle, version: 1}
                """)
            .pipelines()
            .get(0);
    assertEquals(new ModelRef("guesswhat-qgen", OptionalInt.of(1)), games.models().get("qgen"));
    assertEquals(new ModelRef("guesswhat-oracle", OptionalInt.of(1)), games.models().get("oracle"));
    assertEquals(ModelRef.latest("guesswhat-guesser"), games.models().get("guesser"));
    assertEquals(games.models().get("qgen"), games.mainModel(), "the family's first role");
    assertEquals(
        java.util.List.of("qgen", "oracle", "guesser"),
        java.util.List.copyOf(games.models().keySet()));
  }

  @Test
  void namesTheKeyTheValueAndWhatIsAllowedWhenAValueIsBad() {
    ConfigException error =
        refused(
            """
            pipelines:
              - name: ssd
                batch: {maxSize: 0}
            """);
    assertEquals("pipelines[ssd].batch.maxSize", error.key());
    assertTrue(error.getMessage().contains("between 1 and 65536, was 0"), error.getMessage());
  }

  @Test
  void refusesANegativeLiveAgeOrReportPeriodInsteadOfTurningThemOff() {
    assertEquals(
        "pipelines[ssd].maxInputAgeMillis",
        refused("pipelines: [{name: ssd, maxInputAgeMillis: -1}]").key());
    assertEquals(
        "ops.reportEverySeconds",
        refused("ops: {reportEverySeconds: -2}\npipelines: [{name: ssd}]").key());
  }

  @Test
  void leavesTheDashboardOffUnlessAskedAndChecksItsKeys() throws IOException {
    assertEquals(DashboardSettings.defaults(), load("pipelines: [{name: ssd}]").ops().dashboard());
    assertEquals(false, DashboardSettings.defaults().enabled());
    assertEquals(
        new DashboardSettings(true, 2, 16),
        load("ops: {dashboard: {enabled: true, picturesPerSecond: 2}}\npipelines: [{name: ssd}]")
            .ops()
            .dashboard());
    assertEquals(
        "ops.dashboard.picturesPerSecond",
        refused("ops: {dashboard: {picturesPerSecond: 0}}\npipelines: [{name: ssd}]").key());
    assertEquals(
        "ops.dashboard.enable",
        refused("ops: {dashboard: {enable: true}}\npipelines: [{name: ssd}]").key());
    assertTrue(
        load(
                "ops: {port: 8080}\npipelines: [{name: ssd}]",
                Map.of("STREAMINFER__OPS__DASHBOARD__ENABLED", "true"))
            .ops()
            .dashboard()
            .enabled(),
        "turned on from the environment, as in a cluster");
  }

  @Test
  void readsTheRecordTimeoutWithADefaultAndRefusesZero() throws IOException {
    assertEquals(60_000, load("pipelines: [{name: ssd}]").pipelines().get(0).recordTimeoutMillis());
    assertEquals(
        250,
        load("pipelines: [{name: ssd, recordTimeoutMillis: 250}]")
            .pipelines()
            .get(0)
            .recordTimeoutMillis());
    assertEquals(
        "pipelines[ssd].recordTimeoutMillis",
        refused("pipelines: [{name: ssd, recordTimeoutMillis: 0}]").key());
  }

  @Test
  void refusesAnUnknownFamilyNamingTheOnesThisBuildServes() {
    ConfigException error = refused("pipelines: [{name: x, family: yolo}]");
    assertEquals("pipelines[x].family", error.key());
    assertTrue(error.getMessage().contains("dgex"), error.getMessage());
  }

  @Test
  void refusesAMisspeltKeyInsteadOfIgnoringIt() {
    ConfigException error = refused("pipelines: [{name: ssd, batch: {maxSise: 4}}]");
    assertEquals("pipelines[ssd].batch.maxSise", error.key());
  }

  @Test
  void refusesAnUnknownFamilySetting() {
    ConfigException error = refused("pipelines: [{name: guesswhat, settings: {maxGame: 4}}]");
    assertEquals("pipelines[guesswhat].settings.maxGame", error.key());
  }

  @Test
  void refusesAVersionThatIsNeitherLatestNorANumber() {
    ConfigException error = refused("pipelines: [{name: dgex, version: newest}]");
    assertEquals("pipelines[dgex].version", error.key());
  }

  @Test
  void refusesTwoPipelinesOfOneNameOrSharingAGroupOnOneTopic() {
    assertEquals("pipelines[ssd].name", refused("pipelines: [{name: ssd}, {name: ssd}]").key());
    assertEquals(
        "pipelines[b].group",
        refused(
                """
                pipelines:
                  - {name: a, family: ssd, group: g}
                  - {name: b, family: ssd, group: g}
                """)
            .key());
  }

  @Test
  void refusesKafkaPropertiesThatTheEngineMustOwn() {
    ConfigException error =
        refused("kafka: {enable.auto.commit: 'true'}\npipelines: [{name: dgex}]");
    assertEquals("kafka.enable.auto.commit", error.key());
  }

  @Test
  void environmentVariablesOverrideTheFileAndAddSecrets() throws IOException {
    EngineSettings settings =
        load(
            """
            kafka: {bootstrap.servers: 'file:9092'}
            ops: {port: 8080}
            pipelines:
              - name: ssd
                batch: {maxSize: 16}
            """,
            Map.of(
                "STREAMINFER__KAFKA__BOOTSTRAP_SERVERS", "env:9093",
                "STREAMINFER__KAFKA__SASL_JAAS_CONFIG", "secret-line",
                "STREAMINFER__OPS__PORT", "9000",
                "STREAMINFER__PIPELINES__SSD__BATCH__MAX_SIZE", "4",
                "STREAMINFER__PIPELINES__SSD__SETTINGS__MAX_FRAME_PIXELS", "1000",
                "UNRELATED", "x"));
    assertEquals("env:9093", settings.bootstrapServers());
    assertEquals("secret-line", settings.kafka().get("sasl.jaas.config"));
    assertEquals(9000, settings.ops().port());
    PipelineSettings ssd = settings.pipelines().get(0);
    assertEquals(4, ssd.batch().maxBatchSize());
    assertEquals(
        "SsdSettings[maxFramePixels=1000, outputThreshold=Optional.empty]",
        ssd.family().settings().toString(),
        "a family key too");
  }

  @Test
  void anEnvironmentVariableNamingNoConfiguredPipelineIsAnError() {
    ConfigException error =
        assertThrows(
            ConfigException.class,
            () ->
                load(
                    "pipelines: [{name: ssd}]",
                    Map.of("STREAMINFER__PIPELINES__SDD__DEVICE", "cpu")));
    assertTrue(error.getMessage().contains("SDD"), error.getMessage());
  }

  @Test
  void withoutAFileEveryFamilyGetsAPipelineOfItsOwnName() {
    EngineSettings settings =
        new ConfigLoader(FamilyModules.discover(), Map.of()).load(Optional.empty());
    assertTrue(
        settings.pipelines().stream()
            .map(PipelineSettings::name)
            .toList()
            .containsAll(java.util.List.of("dgex", "ssd", "guesswhat")));
  }

  @Test
  void printsTheEffectiveConfigurationWithSecretsMasked() throws IOException {
    String printed =
        ConfigPrinter.yaml(
            load(
                """
                kafka:
                  bootstrap.servers: 'h:9092'
                  sasl.jaas.config: 'org.apache.kafka.common.security.scram.ScramLoginModule required username="u" password="p4ssw0rd";'
                  ssl.truststore.password: hunter2
                pipelines: [{name: dgex}]
                """));
    assertTrue(!printed.contains("p4ssw0rd") && !printed.contains("hunter2"), printed);
    assertTrue(printed.contains("maxInFlight: 1024"), printed);
  }

  @Test
  void printsEveryFamilysSettingsAndAnUnsetOptionalSettingAsNull() throws IOException {
    String printed =
        ConfigPrinter.yaml(
            load(
                """
                pipelines:
                  - {name: ssd}
                  - {name: strict, family: ssd, output: strict, settings: {outputThreshold: 0.6}}
                  - {name: began-frames}
                """));
    assertTrue(printed.contains("outputThreshold: null"), printed);
    assertTrue(printed.contains("outputThreshold: 0.6"), printed);
    assertTrue(printed.contains("threshold: null"), printed);
  }
}
