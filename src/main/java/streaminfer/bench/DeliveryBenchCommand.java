package streaminfer.bench;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bench delivery}: {@link DeliveryBenchmark} with its options from the command line. */
@Command(
    name = "delivery",
    mixinStandardHelpOptions = true,
    description =
        "Every configured pipeline at-least-once and exactly-once, side by side: the cost of"
            + " transactions.")
public final class DeliveryBenchCommand implements Callable<Integer> {
  @Mixin BenchBroker broker;

  @Option(
      names = "--config",
      defaultValue = "streaminfer.yaml",
      description = "The pipelines to measure, as configured (default: ${DEFAULT-VALUE}).")
  Path config;

  @Option(
      names = "--seconds-of-demo",
      defaultValue = "20",
      description = "Each backlog holds this many seconds of the family's demo rate.")
  double secondsOfDemo;

  @Option(
      names = "--rounds",
      defaultValue = "2",
      description = "Rounds of both modes, in alternating order (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Override
  public Integer call() throws Exception {
    broker.run(
        bootstrap ->
            new DeliveryBenchmark(
                    new DeliveryBenchmark.Options(
                        config, secondsOfDemo, rounds, broker.partitions()))
                .run(bootstrap));
    return 0;
  }
}
