package streaminfer.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import streaminfer.bench.DgexBenchmark;
import streaminfer.broker.BrokerConfig;
import streaminfer.broker.EmbeddedKafkaBroker;

/** Side-by-side benchmarks, printed as a table. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmark a pipeline against its ceilings and a per-record baseline.")
final class BenchCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "Pipeline to benchmark: dgex.")
  String pipeline;

  @Option(names = "--bootstrap", description = "Kafka bootstrap servers; default: embedded broker.")
  String bootstrap;

  @Option(
      names = "--data-dir",
      description = "Embedded broker data dir; default: a fresh temp dir.")
  Path dataDir;

  @Option(names = "--models-dir", defaultValue = "models")
  Path modelsDir;

  @Option(names = "--records", defaultValue = "30000", description = "Records per Kafka phase.")
  long records;

  @Option(names = "--baseline-records", defaultValue = "3000")
  long baselineRecords;

  @Option(names = "--seconds-per-batch-size", defaultValue = "2")
  double secondsPerBatchSize;

  @Mixin BatchOptions batch;

  @Option(names = "--partitions", defaultValue = "3")
  int partitions;

  @Option(
      names = "--rounds",
      defaultValue = "4",
      description = "Rounds of pass-through and engine, in alternating order.")
  int rounds;

  @Override
  public Integer call() throws Exception {
    if (!"dgex".equals(pipeline)) {
      System.err.println("only the dgex benchmark exists so far");
      return 2;
    }
    Path dir =
        dataDir != null ? dataDir : java.nio.file.Files.createTempDirectory("streaminfer-bench");
    EmbeddedKafkaBroker broker =
        bootstrap == null
            ? EmbeddedKafkaBroker.start(new BrokerConfig(dir, 0, 0, partitions, Map.of()))
            : null;
    try {
      new DgexBenchmark(
              new DgexBenchmark.Options(
                  broker != null ? broker.bootstrapServers() : bootstrap,
                  modelsDir,
                  records,
                  baselineRecords,
                  secondsPerBatchSize,
                  batch.batchConfig(),
                  batch.intraOpThreads,
                  partitions,
                  rounds),
              System.out)
          .run();
      return 0;
    } finally {
      if (broker != null) {
        broker.close();
      }
    }
  }
}
