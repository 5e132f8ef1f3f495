package streaminfer.family.maskrcnn.tools;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import streaminfer.bench.BatchOptions;
import streaminfer.bench.BenchBroker;
import streaminfer.family.maskrcnn.MaskrcnnModule;

/** {@code bench maskrcnn}: {@link MaskrcnnBenchmark} with its options from the command line. */
@Command(
    name = "maskrcnn",
    mixinStandardHelpOptions = true,
    description =
        "Mask R-CNN: raw ORT (and ORT plus mask pasting and RLE), then live cameras through the"
            + " engine.")
public final class MaskrcnnBenchCommand implements Callable<Integer> {
  @Mixin BenchBroker broker;

  @Mixin BatchOptions batch;

  @Option(
      names = "--raw-seconds",
      defaultValue = "5",
      description = "Seconds of each raw ORT measurement.")
  double rawSeconds;

  @Option(names = "--seconds", defaultValue = "20", description = "Seconds per live run.")
  double seconds;

  @Option(names = "--fps", defaultValue = "30", description = "Frames per second per stream.")
  double fps;

  @Option(
      names = "--streams",
      split = ",",
      defaultValue = "1,4",
      description = "Stream counts of the live runs.")
  List<Integer> streams;

  @Option(
      names = "--max-frame-age-ms",
      defaultValue = "500",
      description = "Live mode bound in the live runs; 0: off (recorded streams, every frame).")
  long maxFrameAgeMillis;

  @Override
  public Integer call() throws Exception {
    broker.run(
        bootstrap ->
            new MaskrcnnBenchmark(
                    new MaskrcnnBenchmark.Options(
                        bootstrap,
                        broker.modelsDir(),
                        rawSeconds,
                        seconds,
                        fps,
                        streams,
                        batch.batchConfig(MaskrcnnModule.NAME),
                        batch.intraOpThreads(MaskrcnnModule.NAME),
                        maxFrameAgeMillis,
                        broker.partitions()),
                    System.out)
                .run());
    return 0;
  }
}
