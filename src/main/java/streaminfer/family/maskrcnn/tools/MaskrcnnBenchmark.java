package streaminfer.family.maskrcnn.tools;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import streaminfer.batch.BatchConfig;
import streaminfer.bench.Backlog;
import streaminfer.bench.BenchSettings;
import streaminfer.bench.RawOrt;
import streaminfer.bench.Throughput;
import streaminfer.codec.AvroCodec;
import streaminfer.codec.WriterSchemas;
import streaminfer.config.ConfigBuilder;
import streaminfer.config.EngineSettings;
import streaminfer.engine.Engine;
import streaminfer.family.frames.FrameImageDecoder;
import streaminfer.family.frames.FramePreprocessor;
import streaminfer.family.maskrcnn.MaskrcnnModule;
import streaminfer.family.maskrcnn.MaskrcnnPostprocessing;
import streaminfer.family.maskrcnn.MaskrcnnSettings;
import streaminfer.family.maskrcnn.SegmentationTask;
import streaminfer.runtime.DevicePolicy;
import streaminfer.runtime.ModelRepository;
import streaminfer.runtime.ModelSession;
import streaminfer.runtime.SessionTuning;
import streaminfer.runtime.Tensor;
import streaminfer.source.LiveCameras;
import streaminfer.source.SyntheticCameras;
import streaminfer.v1.Frame;
import streaminfer.v1.Segmentations;

/**
 * Mask R-CNN on live video, on one broker and model: raw ORT frames/s (one image a run, the graph
 * has no batch axis), the same plus the Java side's mask pasting and RLE, then the engine through
 * Kafka for each stream count at the cameras' frame rate: output rate, capture-to-output latency
 * percentiles, skipped (live mode) and missing frames. Uses the frame families' shared benchmark
 * parts ({@link LiveCameras}, {@link RawOrt}).
 */
public final class MaskrcnnBenchmark {
  /** What to run. */
  public record Options(
      String bootstrap,
      Path modelsDir,
      double rawSeconds,
      double secondsPerRun,
      double fps,
      List<Integer> streamCounts,
      BatchConfig batch,
      int intraOpThreads,
      long maxFrameAgeMillis,
      int partitions) {}

  private static final AvroCodec<Segmentations> SEGMENTATIONS =
      AvroCodec.forType(Segmentations.class, WriterSchemas.v1());
  private static final int RAW_FRAMES = 32;

  private final Options options;
  private final PrintStream out;

  public MaskrcnnBenchmark(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public void run() throws Exception {
    ModelRepository repository = new ModelRepository(options.modelsDir());
    try (ModelSession session =
            repository.open(
                MaskrcnnModule.NAME,
                OptionalInt.empty(),
                DevicePolicy.CPU,
                new SessionTuning(options.intraOpThreads(), 0));
        SyntheticCameras cameras = new SyntheticCameras("raw", 1, 320, 320, 0.85f, 5)) {
      FramePreprocessor preprocessor = FramePreprocessor.fromMetadata(session.metadata());
      FrameImageDecoder decoder = new FrameImageDecoder();
      String input = session.metadata().inputs().get(0).name();
      List<Frame> frames = new ArrayList<>();
      List<Map<String, Tensor>> rows = new ArrayList<>();
      for (int i = 0; i < RAW_FRAMES; i++) {
        Frame frame = cameras.next(0).frame();
        frames.add(frame);
        rows.add(Map.of(input, Tensor.of(preprocessor.preprocess(decoder.decode(frame)))));
      }
      out.printf("%-40s %12s %14s%n", "phase", "frames/s", "CPU ms/frame");
      Throughput raw = RawOrt.measure(session, 1, options.rawSeconds(), rows::get);
      out.printf("%-40s %12.1f %14.3f%n", raw.phase(), raw.perSecond(), raw.cpuMillisPerRecord());
      Throughput withMasks = rawWithMasks(session, frames, rows);
      out.printf(
          "%-40s %12.1f %14.3f%n",
          withMasks.phase(), withMasks.perSecond(), withMasks.cpuMillisPerRecord());
    }
    out.println();
    out.printf(
        "%-8s %10s %10s %12s %10s %10s %10s %9s %9s%n",
        "streams",
        "offered",
        "output",
        "per stream",
        "p50 ms",
        "p90 ms",
        "p99 ms",
        "skipped",
        "missing");
    for (int streams : options.streamCounts()) {
      live(streams);
    }
  }

  /** ORT one frame a run plus the pipeline's postprocessing (pasting, thresholds, RLE). */
  private Throughput rawWithMasks(
      ModelSession session, List<Frame> frames, List<Map<String, Tensor>> rows) {
    SegmentationTask task =
        new SegmentationTask(
            session.metadata(),
            new FrameImageDecoder(),
            MaskrcnnPostprocessing.of(
                session.metadata(),
                new MaskrcnnSettings(
                    FrameImageDecoder.DEFAULT_MAX_PIXELS,
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty())),
            Optional.empty(),
            java.time.Clock.systemUTC());
    long budget = (long) (options.rawSeconds() * 1e9);
    long cpu = Throughput.processCpuNanos();
    long start = System.nanoTime();
    long done = 0;
    while (System.nanoTime() - start < budget) {
      int i = (int) (done % rows.size());
      task.toOutput(frames.get(i), session.runRows(List.of(rows.get(i))).get(0));
      done++;
    }
    return new Throughput(
        "raw ORT + pasting and RLE, batch 1",
        done,
        (System.nanoTime() - start) / 1e9,
        (Throughput.processCpuNanos() - cpu) / 1e9);
  }

  private EngineSettings engineConfig(String prefix) {
    return BenchSettings.withBatch(
            ConfigBuilder.of(options.bootstrap(), options.modelsDir()), options.batch())
        .pipeline(MaskrcnnModule.NAME)
        .set("topics.prefix", prefix)
        .defaults("intraOpThreads", options.intraOpThreads())
        .defaults("maxInputAgeMillis", options.maxFrameAgeMillis())
        .build();
  }

  private void live(int streams) throws Exception {
    String prefix = "bench-maskrcnn-" + streams + "-";
    try (Backlog topics = new Backlog(options.bootstrap(), options.partitions())) {
      live(streams, prefix);
      topics.delete(prefix + "frames", prefix + "segmentations");
    }
  }

  private void live(int streams, String prefix) throws Exception {
    try (Engine engine = Engine.start(engineConfig(prefix));
        SyntheticCameras cameras = new SyntheticCameras("cam", streams, 320, 320, 0.85f, 9)) {
      LiveCameras.LiveRun run =
          LiveCameras.run(
              options.bootstrap(),
              prefix + "frames",
              prefix + "segmentations",
              SEGMENTATIONS,
              Segmentations::getCaptureTimeMicros,
              cameras,
              options.fps(),
              options.secondsPerRun(),
              shot -> {},
              answered -> {},
              engine.metrics().get(0)::recordsSkipped,
              Duration.ofSeconds(30));
      double skipped = engine.metrics().get(0).recordsSkipped();
      out.printf(
          "%-8d %10.1f %10.1f %12.1f %10.1f %10.1f %10.1f %9.0f %9d%n",
          streams,
          run.sent() / options.secondsPerRun(),
          run.outputFps(),
          run.outputFps() / streams,
          run.percentile(0.5),
          run.percentile(0.9),
          run.percentile(0.99),
          skipped,
          run.missing(skipped));
    }
  }
}
