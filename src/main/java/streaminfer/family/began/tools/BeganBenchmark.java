package streaminfer.family.began.tools;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.IntFunction;
import java.util.function.LongFunction;
import streaminfer.batch.BatchConfig;
import streaminfer.bench.Backlog;
import streaminfer.bench.BenchSettings;
import streaminfer.bench.RawOrt;
import streaminfer.bench.Throughput;
import streaminfer.codec.AvroCodec;
import streaminfer.codec.WriterSchemas;
import streaminfer.config.ConfigBuilder;
import streaminfer.engine.Engine;
import streaminfer.family.began.BeganFramesModule;
import streaminfer.family.began.BeganModule;
import streaminfer.family.began.GoldenFrames;
import streaminfer.family.began.Latents;
import streaminfer.runtime.DevicePolicy;
import streaminfer.runtime.ModelRepository;
import streaminfer.runtime.ModelSession;
import streaminfer.runtime.SessionTuning;
import streaminfer.runtime.Tensor;
import streaminfer.v1.Frame;
import streaminfer.v1.GenerationRequest;

/**
 * BEGAN's two pipelines side by side with their compute ceilings: images/s generated and frames/s
 * scored by raw ORT (batch 1..64, no Kafka) and by the engine through Kafka, and the ratio.
 */
public final class BeganBenchmark {
  /** What to run; {@code requests} of {@link #IMAGES_PER_REQUEST} images, {@code frames}. */
  public record Options(
      String bootstrap,
      Path modelsDir,
      long requests,
      long frames,
      double secondsPerBatchSize,
      BatchConfig batch,
      int intraOpThreads) {}

  static final int IMAGES_PER_REQUEST = 8;
  private static final Duration PHASE_DEADLINE = Duration.ofMinutes(10);

  private final Options options;
  private final PrintStream out;

  public BeganBenchmark(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** The engine's rate over the best raw ORT rate, per pipeline: generation, then scoring. */
  public List<Double> run() throws Exception {
    ModelRepository repository = new ModelRepository(options.modelsDir());
    SessionTuning tuning = new SessionTuning(options.intraOpThreads(), 0);
    double rawImages;
    double rawFrames;
    GoldenFrames golden = GoldenFrames.of(options.modelsDir());
    List<float[]> goldenImages = golden.rows();
    try (ModelSession generator =
            repository.open(BeganModule.GENERATOR, OptionalInt.empty(), DevicePolicy.CPU, tuning);
        ModelSession discriminator =
            repository.open(
                BeganFramesModule.DISCRIMINATOR, OptionalInt.empty(), DevicePolicy.CPU, tuning)) {
      int dim = (int) generator.metadata().inputs().get(0).shape()[1];
      String latent = generator.metadata().inputs().get(0).name();
      rawImages = bestRaw(generator, i -> Map.of(latent, Tensor.of(Latents.forSeed(i, dim))));
      String image = discriminator.metadata().inputs().get(0).name();
      rawFrames =
          bestRaw(
              discriminator,
              i -> Map.of(image, Tensor.of(goldenImages.get(i % goldenImages.size()))));
    }
    AvroCodec<GenerationRequest> requests =
        AvroCodec.forType(GenerationRequest.class, WriterSchemas.v1());
    double engineImages =
        engine(
            BeganModule.NAME,
            "generation-requests",
            "generated-images",
            options.requests(),
            IMAGES_PER_REQUEST,
            i ->
                new Backlog.Keyed(
                    "bench-" + i,
                    requests.encode(
                        GenerationRequest.newBuilder()
                            .setRequestId("bench-" + i)
                            .setCount(IMAGES_PER_REQUEST)
                            .setSeed(i * IMAGES_PER_REQUEST)
                            .build())));
    AvroCodec<Frame> frames = AvroCodec.forType(Frame.class, WriterSchemas.v1());
    double engineFrames =
        engine(
            BeganFramesModule.NAME,
            "frames",
            "frame-scores",
            options.frames(),
            1,
            i -> new Backlog.Keyed("cam-" + i % 4, frames.encode(golden.frame("cam-" + i % 4, i))));
    out.println();
    out.printf("%-22s %14s %14s %10s%n", "pipeline", "raw ORT /s", "engine /s", "engine/raw");
    out.printf(
        "%-22s %14.1f %14.1f %9.1f %%%n",
        "images generated", rawImages, engineImages, 100 * engineImages / rawImages);
    out.printf(
        "%-22s %14.1f %14.1f %9.1f %%%n",
        "frames scored", rawFrames, engineFrames, 100 * engineFrames / rawFrames);
    return List.of(engineImages / rawImages, engineFrames / rawFrames);
  }

  private double bestRaw(ModelSession session, IntFunction<Map<String, Tensor>> row) {
    double best = 0;
    for (int batch = 1; batch <= 64; batch *= 4) {
      Throughput result = RawOrt.measure(session, batch, options.secondsPerBatchSize(), row);
      report(session.metadata().name() + " " + result.phase(), result);
      best = Math.max(best, result.perSecond());
    }
    return best;
  }

  private double engine(
      String family,
      String input,
      String output,
      long records,
      int outputsPerRecord,
      LongFunction<Backlog.Keyed> next)
      throws Exception {
    String prefix = "bench-" + family + "-";
    try (Backlog backlog = new Backlog(options.bootstrap(), 3)) {
      backlog.fill(prefix + input, prefix + output, records, next);
      var config =
          BenchSettings.withBatch(
                  ConfigBuilder.of(options.bootstrap(), options.modelsDir()), options.batch())
              .pipeline(family)
              .set("topics.prefix", prefix)
              .defaults("device", "cpu")
              .defaults("intraOpThreads", options.intraOpThreads())
              .build();
      try (Engine engine = Engine.start(config)) {
        Throughput result =
            backlog.timeUntil(
                "engine " + family, prefix + output, records * outputsPerRecord, PHASE_DEADLINE);
        out.printf("engine mean batch size: %.1f%n", engine.metrics().get(0).meanBatchSize());
        return report("engine " + family + " (outputs)", result).perSecond();
      } finally {
        backlog.delete(prefix + input, prefix + output);
      }
    }
  }

  private Throughput report(String phase, Throughput row) {
    out.printf(
        "%-52s %8d outputs %8.2f s %10.1f /s%n",
        phase, row.records(), row.seconds(), row.perSecond());
    out.flush();
    return row;
  }
}
