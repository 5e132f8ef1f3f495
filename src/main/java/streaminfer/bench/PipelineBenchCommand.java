package streaminfer.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bench pipelines}: {@link PipelineBenchmark} with its options from the command line. */
@Command(
    name = "pipelines",
    mixinStandardHelpOptions = true,
    description =
        "Every configured pipeline against its ceilings (raw ORT, the pipeline in process without"
            + " Kafka, a Kafka pass-through), side by side; writes a table and a plot.")
public final class PipelineBenchCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin BenchBroker broker;

  @Option(
      names = "--config",
      defaultValue = "streaminfer.yaml",
      description = "The pipelines to measure, as configured (default: ${DEFAULT-VALUE}).")
  Path config;

  @Option(
      names = "--pipeline",
      split = ",",
      description = "Only these configured pipelines (default: every one with a demo feed).")
  List<String> pipelines = new ArrayList<>();

  @Option(
      names = "--seconds",
      defaultValue = "4",
      description =
          "Each phase's records take about this long in process (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(
      names = "--min-records",
      defaultValue = "5000",
      description =
          "At least this many records per phase, and five times what may be in flight"
              + " (default: ${DEFAULT-VALUE}).")
  long minRecords;

  @Option(
      names = "--engine-process",
      description =
          "Run the engine phase as its own `serve` process, as a user deploys it (with"
              + " --bootstrap: a broker process of its own too).")
  boolean engineProcess;

  @Option(
      names = "--max-records",
      defaultValue = "40000",
      description = "At most this many records per phase (default: ${DEFAULT-VALUE}).")
  long maxRecords;

  @Option(
      names = "--raw-seconds",
      defaultValue = "2",
      description = "Seconds of raw ORT at each batch size (default: ${DEFAULT-VALUE}).")
  double rawSeconds;

  @Option(
      names = "--rounds",
      defaultValue = "2",
      description = "Rounds of every phase, in alternating order (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--out-dir",
      defaultValue = "target/bench",
      description = "Where pipelines.md and pipelines.svg go (default: ${DEFAULT-VALUE}).")
  Path outDir;

  @Option(
      names = "--write-docs",
      description = "Also rewrite the generated section of this markdown file, plot beside it.")
  Path docs;

  @Override
  public Integer call() throws Exception {
    String command =
        "streaminfer " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    broker.run(
        bootstrap ->
            new PipelineBenchmark(
                    new PipelineBenchmark.Options(
                        config,
                        pipelines,
                        seconds,
                        minRecords,
                        maxRecords,
                        rawSeconds,
                        rounds,
                        broker.partitions(),
                        outDir,
                        Optional.ofNullable(docs),
                        engineProcess,
                        command.strip()),
                    System.out)
                .run(bootstrap));
    return 0;
  }
}
