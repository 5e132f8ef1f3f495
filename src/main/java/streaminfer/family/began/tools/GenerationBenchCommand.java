package streaminfer.family.began.tools;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import streaminfer.bench.BatchOptions;
import streaminfer.bench.BenchBroker;
import streaminfer.family.began.BeganModule;

/** {@code bench began}: {@link BeganBenchmark} with its options from the command line. */
@Command(
    name = "began",
    mixinStandardHelpOptions = true,
    description =
        "BEGAN: images/s generated and frames/s scored, raw ORT and the engine, side by side.")
public final class GenerationBenchCommand implements Callable<Integer> {
  @Mixin BenchBroker broker;

  @Mixin BatchOptions batch;

  @Option(
      names = "--requests",
      defaultValue = "500",
      description = "Generation requests (8 images each) in the engine phase.")
  long requests;

  @Option(names = "--frames", defaultValue = "5000", description = "Frames in the engine phase.")
  long frames;

  @Option(
      names = "--seconds-per-batch-size",
      defaultValue = "2",
      description = "Seconds of raw ORT at each batch size.")
  double secondsPerBatchSize;

  @Override
  public Integer call() throws Exception {
    broker.run(
        bootstrap ->
            new BeganBenchmark(
                    new BeganBenchmark.Options(
                        bootstrap,
                        broker.modelsDir(),
                        requests,
                        frames,
                        secondsPerBatchSize,
                        batch.batchConfig(BeganModule.NAME),
                        batch.intraOpThreads(BeganModule.NAME)),
                    System.out)
                .run());
    return 0;
  }
}
