package streaminfer.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import streaminfer.batch.BatchConfig;
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

  @Option(names = "--records", defaultValue = "20000", description = "Records per Kafka phase.")
  long records;

  @Option(names = "--baseline-records", defaultValue = "2000")
  long baselineRecords;

  @Option(names = "--seconds-per-batch-size", defaultValue = "2")
  double secondsPerBatchSize;

  @Option(names = "--max-batch-size", defaultValue = "64")
  int maxBatchSize;

  @Option(names = "--max-batch-delay-ms", defaultValue = "5")
  long maxBatchDelayMillis;

  @Option(names = "--max-in-flight", defaultValue = "1024")
  int maxInFlight;

  @Option(names = "--batch-concurrency", defaultValue = "1")
  int batchConcurrency;

  @Option(names = "--intra-op-threads", defaultValue = "0")
  int intraOpThreads;

  @Option(names = "--partitions", defaultValue = "3")
  int partitions;

  @Option(
      names = "--rounds",
      defaultValue = "2",
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
                  new BatchConfig(maxBatchSize, maxBatchDelayMillis, maxInFlight, batchConcurrency),
                  intraOpThreads,
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
