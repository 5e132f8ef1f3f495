package streaminfer.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import streaminfer.bench.DgexBenchmark;
import streaminfer.bench.DialogueBenchmark;
import streaminfer.bench.FramesBenchmark;
import streaminfer.broker.BrokerConfig;
import streaminfer.broker.EmbeddedKafkaBroker;

/** Side-by-side benchmarks, printed as a table. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmark a pipeline against its ceilings and a per-record baseline.")
final class BenchCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "What to benchmark: dgex, frames or dialogue.")
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

  @Option(names = "--seconds", defaultValue = "60", description = "frames: seconds per live run.")
  double seconds;

  @Option(names = "--fps", defaultValue = "60", description = "frames: per stream.")
  double fps;

  @Option(
      names = "--streams",
      split = ",",
      defaultValue = "1,4,8",
      description = "frames: stream counts of the live runs.")
  List<Integer> streams;

  @Option(
      names = "--backlog-frames",
      defaultValue = "20000",
      description = "frames: timed frames of each saturation round.")
  long backlogFrames;

  @Option(
      names = "--warmup-frames",
      defaultValue = "6000",
      description = "frames: backlog frames before the saturation run's clock starts.")
  long warmupFrames;

  @Option(
      names = "--max-frame-age-ms",
      defaultValue = "500",
      description = "frames: live mode bound in the live runs.")
  long maxFrameAgeMillis;

  @Option(
      names = "--concurrent-games",
      defaultValue = "256",
      description = "dialogue: games in flight at once.")
  int concurrentGames;

  @Option(
      names = "--engine-intra-op-threads",
      defaultValue = "-1",
      description = "frames: ORT threads of the engine; -1: as --intra-op-threads (raw ORT).")
  int engineIntraOpThreads;

  @Option(names = "--partitions", defaultValue = "3")
  int partitions;

  @Option(
      names = "--rounds",
      defaultValue = "4",
      description =
          "dgex: rounds of pass-through and engine, in alternating order; frames: saturation"
              + " rounds, each next to a raw ORT run.")
  int rounds;

  @Override
  public Integer call() throws Exception {
    if (!List.of("dgex", "frames", "dialogue").contains(pipeline)) {
      System.err.println("unknown benchmark " + pipeline + ": dgex, frames or dialogue");
      return 2;
    }
    Path dir =
        dataDir != null ? dataDir : java.nio.file.Files.createTempDirectory("streaminfer-bench");
    EmbeddedKafkaBroker broker =
        bootstrap == null
            ? EmbeddedKafkaBroker.start(new BrokerConfig(dir, 0, 0, partitions, Map.of()))
            : null;
    try {
      String servers = broker != null ? broker.bootstrapServers() : bootstrap;
      if (pipeline.equals("dialogue")) {
        new DialogueBenchmark(
                new DialogueBenchmark.Options(
                    servers,
                    modelsDir,
                    batch.batchConfig(),
                    batch.intraOpThreads,
                    partitions,
                    concurrentGames),
                System.out)
            .run();
        return 0;
      }
      if (pipeline.equals("frames")) {
        new FramesBenchmark(
                new FramesBenchmark.Options(
                    servers,
                    modelsDir,
                    secondsPerBatchSize,
                    seconds,
                    fps,
                    streams,
                    backlogFrames,
                    warmupFrames,
                    batch.batchConfig(),
                    batch.intraOpThreads,
                    engineIntraOpThreads < 0 ? batch.intraOpThreads : engineIntraOpThreads,
                    maxFrameAgeMillis,
                    partitions,
                    rounds),
                System.out)
            .run();
        return 0;
      }
      new DgexBenchmark(
              new DgexBenchmark.Options(
                  servers,
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
