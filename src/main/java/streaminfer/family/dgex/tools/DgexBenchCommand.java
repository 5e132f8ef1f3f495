package streaminfer.family.dgex.tools;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import streaminfer.bench.BatchOptions;
import streaminfer.bench.BenchBroker;
import streaminfer.family.dgex.DgexModule;

/** {@code bench dgex}: {@link DgexBenchmark} with its options from the command line. */
@Command(
    name = "dgex",
    mixinStandardHelpOptions = true,
    description =
        "D-GEX: raw ORT, Kafka pass-through, per-record baseline and the engine, side by side.")
public final class DgexBenchCommand implements Callable<Integer> {
  @Mixin BenchBroker broker;

  @Mixin BatchOptions batch;

  @Option(names = "--records", defaultValue = "30000", description = "Records per Kafka phase.")
  long records;

  @Option(names = "--baseline-records", defaultValue = "3000")
  long baselineRecords;

  @Option(
      names = "--seconds-per-batch-size",
      defaultValue = "2",
      description = "Seconds of raw ORT at each batch size.")
  double secondsPerBatchSize;

  @Option(
      names = "--rounds",
      defaultValue = "4",
      description = "Rounds of pass-through and engine, in alternating order.")
  int rounds;

  @Override
  public Integer call() throws Exception {
    broker.run(
        bootstrap ->
            new DgexBenchmark(
                    new DgexBenchmark.Options(
                        bootstrap,
                        broker.modelsDir(),
                        records,
                        baselineRecords,
                        secondsPerBatchSize,
                        batch.batchConfig(DgexModule.NAME),
                        batch.intraOpThreads(DgexModule.NAME),
                        broker.partitions(),
                        rounds),
                    System.out)
                .run());
    return 0;
  }
}
