package streaminfer.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import streaminfer.broker.KafkaBroker;
import streaminfer.client.PacedProducer;
import streaminfer.config.ConfigLoader;
import streaminfer.config.EngineSettings;
import streaminfer.engine.Engine;
import streaminfer.family.DemoSource;
import streaminfer.family.FamilyModules;

/**
 * The alert rules and the Grafana dashboard in {@code k8s/monitoring} query only metrics that a
 * running engine exports: a renamed metric would otherwise leave an alert that never fires.
 */
class MonitoringRulesTest {
  @RegisterExtension final KafkaBroker kafka = new KafkaBroker();
  @TempDir Path dir;

  private static final Pattern METRIC =
      Pattern.compile("\\b((?:streaminfer|jvm|process)_[a-z_]+)\\b");

  @Test
  void everyMetricTheAlertsAndTheDashboardQueryIsExportedByARunningEngine() throws Exception {
    Set<String> queried = new TreeSet<>();
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    JsonNode rules = yaml.readTree(Path.of("k8s/monitoring/prometheusrule.yaml").toFile());
    List<String> alerts = new ArrayList<>();
    for (JsonNode group : rules.path("spec").path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        alerts.add(rule.path("alert").asText());
        queried.addAll(metrics(rule.path("expr").asText()));
      }
    }
    assertEquals(
        List.of(
            "StreaminferLagGrowing",
            "StreaminferDeadLetters",
            "StreaminferLatencyP99High",
            "StreaminferPipelineHalted",
            "StreaminferModelReloadFailed"),
        alerts);
    JsonNode dashboard =
        new ObjectMapper().readTree(Path.of("k8s/monitoring/streaminfer-dashboard.json").toFile());
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        queried.addAll(metrics(target.path("expr").asText()));
      }
    }
    assertTrue(queried.size() > 10, queried.toString());

    String scrape = scrapeAfterGoodAndBadRecords();
    for (String metric : queried) {
      assertTrue(
          scrape.contains("\n" + metric + "{") || scrape.contains("\n" + metric + " "),
          metric + " is queried but not exported");
    }
  }

  private String scrapeAfterGoodAndBadRecords() throws Exception {
    Map<String, String> client = Map.of("bootstrap.servers", kafka.bootstrapServers());
    Path file =
        Files.writeString(
            dir.resolve("streaminfer.yaml"),
            """
            kafka:
              bootstrap.servers: %s
            models:
              dir: models
            ops:
              port: 0
              reportEverySeconds: 0
            pipelines:
              - name: dgex
                family: dgex
                device: cpu
            """
                .formatted(kafka.bootstrapServers()));
    EngineSettings settings =
        new ConfigLoader(FamilyModules.discover(), Map.of()).load(Optional.of(file));
    try (Engine engine = Engine.start(settings);
        DemoSource panels =
            FamilyModules.discover().get("dgex").demo(Path.of("models")).orElseThrow()) {
      try (PacedProducer producer =
          new PacedProducer(
              client,
              "gene-panels",
              0,
              21,
              n -> {
                if (n == 20) {
                  return new PacedProducer.Keyed(
                      "bad", "not avro".getBytes(StandardCharsets.UTF_8));
                }
                DemoSource.KeyedValue panel = panels.next().apply(n);
                return new PacedProducer.Keyed(panel.key(), panel.value());
              })) {
        producer.run();
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      String scrape = engine.registry().scrape();
      while (!scrape.contains("streaminfer_records_deadlettered_total{")
          && System.nanoTime() < deadline) {
        Thread.sleep(200);
        scrape = engine.registry().scrape();
      }
      return "\n" + scrape;
    }
  }

  private static Set<String> metrics(String expression) {
    Set<String> names = new TreeSet<>();
    Matcher matcher = METRIC.matcher(expression);
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
    return names;
  }
}
