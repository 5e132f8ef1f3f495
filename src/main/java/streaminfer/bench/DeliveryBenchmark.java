package streaminfer.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import streaminfer.config.ConfigLoader;
import streaminfer.config.ConfigTree;
import streaminfer.config.EngineSettings;
import streaminfer.config.PipelineSettings;
import streaminfer.engine.Engine;
import streaminfer.family.DemoSource;
import streaminfer.family.FamilyModules;
import streaminfer.stream.Delivery;

/**
 * The cost of exactly-once delivery: each configured pipeline serves a backlog of its family's demo
 * records at-least-once and exactly-once, in alternating order over the rounds, with the same
 * configuration otherwise (live mode off, so every record is served). A phase is timed by the input
 * offsets its group commits, from the first tenth of the backlog to the last record: what is done
 * for good in either mode, start-up excluded.
 */
public final class DeliveryBenchmark {
  private static final Duration PHASE_DEADLINE = Duration.ofMinutes(10);

  /**
   * @param config the configuration file whose pipelines are measured
   * @param secondsOfDemo each backlog holds this many seconds of the family's demo rate
   */
  public record Options(Path config, double secondsOfDemo, int rounds, int partitions) {}

  private final Options options;
  private final ConfigLoader loader = new ConfigLoader(FamilyModules.discover(), Map.of());

  public DeliveryBenchmark(Options options) {
    this.options = options;
  }

  public void run(String bootstrap) throws Exception {
    List<String> table = new ArrayList<>();
    table.add(
        String.format(
            "%-12s %8s %14s %14s %9s",
            "pipeline", "records", "at-least-once", "exactly-once", "EO / ALO"));
    int phase = 0;
    for (PipelineSettings pipeline : loader.load(Optional.of(options.config())).pipelines()) {
      Map<Delivery, List<Throughput>> rows = new EnumMap<>(Delivery.class);
      long records = 0;
      for (int round = 0; round < options.rounds(); round++) {
        List<Delivery> order =
            round % 2 == 0
                ? List.of(Delivery.AT_LEAST_ONCE, Delivery.EXACTLY_ONCE)
                : List.of(Delivery.EXACTLY_ONCE, Delivery.AT_LEAST_ONCE);
        for (Delivery delivery : order) {
          Throughput row = phase(bootstrap, pipeline.name(), delivery, "bench-delivery-" + phase++);
          System.out.printf(
              "%s %s round %d: %d records in %.1f s, %.1f records/s%n",
              pipeline.name(),
              delivery.configName(),
              round + 1,
              row.records(),
              row.seconds(),
              row.perSecond());
          rows.computeIfAbsent(delivery, d -> new ArrayList<>()).add(row);
          records = row.records();
        }
      }
      double leastOnce = meanRate(rows.get(Delivery.AT_LEAST_ONCE));
      double exactlyOnce = meanRate(rows.get(Delivery.EXACTLY_ONCE));
      table.add(
          String.format(
              "%-12s %8d %12.1f/s %12.1f/s %9.2f",
              pipeline.name(), records, leastOnce, exactlyOnce, exactlyOnce / leastOnce));
    }
    System.out.println();
    table.forEach(System.out::println);
  }

  /** One pipeline, one mode, on topics of its own (the prefix keeps groups and state apart). */
  private Throughput phase(String bootstrap, String pipeline, Delivery delivery, String prefix)
      throws Exception {
    ObjectNode tree = loader.tree(Optional.of(options.config()));
    ConfigTree.selectPipelines(tree, List.of(pipeline));
    ConfigTree.setKafka(tree, "bootstrap.servers", bootstrap);
    ConfigTree.set(tree, "embeddedBroker.enabled", "false");
    ConfigTree.set(tree, "kafkaWarmup.topic", "");
    ConfigTree.set(tree, "ops.port", "0");
    ConfigTree.set(tree, "topics.prefix", prefix + "-");
    ConfigTree.set(tree, "topics.partitions", Integer.toString(options.partitions()));
    ConfigTree.setInEveryPipeline(tree, "delivery", delivery.configName());
    ConfigTree.setInEveryPipeline(tree, "maxInputAgeMillis", "0");
    EngineSettings settings = loader.read(tree);
    PipelineSettings served = settings.pipelines().get(0);
    String output = served.outputTopics().values().iterator().next();
    try (DemoSource demo =
            served
                .family()
                .module()
                .demo(settings.modelsDir())
                .orElseThrow(
                    () ->
                        new IllegalStateException(pipeline + ": its family has no demo records"));
        Backlog backlog = new Backlog(bootstrap, options.partitions())) {
      long records = Math.max(100, Math.round(demo.recordsPerSecond() * options.secondsOfDemo()));
      backlog.fill(
          served.inputTopic(),
          output,
          records,
          n -> {
            DemoSource.KeyedValue record = demo.next().apply(n);
            return new Backlog.Keyed(record.key(), record.value());
          });
      Engine engine = Engine.start(settings);
      try {
        return backlog.timeUntilCommitted(
            pipeline + " " + delivery.configName(), served.groupId(), records, PHASE_DEADLINE);
      } finally {
        engine.close();
        backlog.delete(served.inputTopic(), output);
      }
    }
  }

  private static double meanRate(List<Throughput> rows) {
    return rows.stream().mapToDouble(Throughput::perSecond).average().orElse(Double.NaN);
  }
}
