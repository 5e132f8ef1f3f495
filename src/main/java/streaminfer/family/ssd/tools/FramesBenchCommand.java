package streaminfer.family.ssd.tools;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import streaminfer.bench.BatchOptions;
import streaminfer.bench.BenchBroker;
import streaminfer.family.ssd.SsdModule;

/** {@code bench frames}: {@link FramesBenchmark} with its options from the command line. */
@Command(
    name = "frames",
    mixinStandardHelpOptions = true,
    description =
        "SSD: raw ORT, live cameras through the engine, and the engine saturated by a backlog.")
public final class FramesBenchCommand implements Callable<Integer> {
  @Mixin BenchBroker broker;

  @Mixin BatchOptions batch;

  @Option(
      names = "--seconds-per-batch-size",
      defaultValue = "2",
      description = "Seconds of raw ORT at each batch size.")
  double secondsPerBatchSize;

  @Option(names = "--seconds", defaultValue = "60", description = "Seconds per live run.")
  double seconds;

  @Option(names = "--fps", defaultValue = "60", description = "Frames per second per stream.")
  double fps;

  @Option(
      names = "--streams",
      split = ",",
      defaultValue = "1,4,8",
      description = "Stream counts of the live runs.")
  List<Integer> streams;

  @Option(
      names = "--backlog-frames",
      defaultValue = "20000",
      description = "Timed frames of each saturation round.")
  long backlogFrames;

  @Option(
      names = "--warmup-frames",
      defaultValue = "6000",
      description = "Backlog frames before the saturation run's clock starts.")
  long warmupFrames;

  @Option(
      names = "--max-frame-age-ms",
      defaultValue = "500",
      description = "Live mode bound in the live runs.")
  long maxFrameAgeMillis;

  @Option(
      names = "--engine-intra-op-threads",
      defaultValue = "-1",
      description = "ORT threads of the engine; -1: as --intra-op-threads (raw ORT).")
  int engineIntraOpThreads;

  @Option(
      names = "--rounds",
      defaultValue = "4",
      description = "Saturation rounds, each next to a raw ORT run.")
  int rounds;

  @Override
  public Integer call() throws Exception {
    broker.run(
        bootstrap ->
            new FramesBenchmark(
                    new FramesBenchmark.Options(
                        bootstrap,
                        broker.modelsDir(),
                        secondsPerBatchSize,
                        seconds,
                        fps,
                        streams,
                        backlogFrames,
                        warmupFrames,
                        batch.batchConfig(SsdModule.NAME),
                        batch.intraOpThreads(SsdModule.NAME),
                        engineIntraOpThreads < 0
                            ? batch.intraOpThreads(SsdModule.NAME)
                            : engineIntraOpThreads,
                        maxFrameAgeMillis,
                        broker.partitions(),
                        rounds),
                    System.out)
                .run());
    return 0;
  }
}
