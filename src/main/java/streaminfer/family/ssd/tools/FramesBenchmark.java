package streaminfer.family.ssd.tools;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
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
import streaminfer.family.ssd.SsdModule;
import streaminfer.runtime.DevicePolicy;
import streaminfer.runtime.ModelRepository;
import streaminfer.runtime.ModelSession;
import streaminfer.runtime.SessionTuning;
import streaminfer.runtime.Tensor;
import streaminfer.source.LiveCameras;
import streaminfer.source.SceneObject;
import streaminfer.source.SyntheticCameras;
import streaminfer.v1.Detections;
import streaminfer.v1.Frame;

/**
 * SSD on live video, in one run on one broker and model: raw ORT frames/s at batch 1..32, then the
 * engine through Kafka for 1, 4 and 8 cameras at their frame rate (capture-to-detection latency,
 * skipped and missing frames), then the engine saturated by a backlog of 4 streams.
 */
public final class FramesBenchmark {
  private static final AvroCodec<Detections> DETECTIONS =
      AvroCodec.forType(Detections.class, WriterSchemas.v1());

  /** What to run. */
  public record Options(
      String bootstrap,
      Path modelsDir,
      double secondsPerBatchSize,
      double secondsPerRun,
      double fps,
      List<Integer> streamCounts,
      long backlogFrames,
      long warmupFrames,
      BatchConfig batch,
      int intraOpThreads,
      int engineIntraOpThreads,
      long maxFrameAgeMillis,
      int partitions,
      int rounds) {}

  /** One saturation run: the engine's rate and its mean batch. */
  private record BacklogRun(Throughput rate, double meanBatch) {}

  private final Options options;
  private final PrintStream out;
  private final AvroCodec<Frame> frames = AvroCodec.forType(Frame.class, WriterSchemas.v1());

  public FramesBenchmark(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public void run() throws Exception {
    ModelRepository repository = new ModelRepository(options.modelsDir());
    try (ModelSession session =
            repository.open(
                SsdModule.NAME,
                OptionalInt.empty(),
                DevicePolicy.CPU,
                new SessionTuning(options.intraOpThreads(), 0));
        SyntheticCameras cameras = new SyntheticCameras("raw", 1, 320, 320, 0.85f, 5)) {
      FramePreprocessor preprocessor = FramePreprocessor.fromMetadata(session.metadata());
      FrameImageDecoder decoder = new FrameImageDecoder();
      String input = session.metadata().inputs().get(0).name();
      List<Map<String, Tensor>> rows = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        rows.add(
            Map.of(
                input,
                Tensor.of(preprocessor.preprocess(decoder.decode(cameras.next(0).frame())))));
      }
      out.printf("%-40s %12s %14s%n", "phase", "frames/s", "CPU ms/frame");
      double bestRate = 0;
      int bestBatch = 1;
      for (int batch = 1; batch <= 32; batch *= 2) {
        Throughput raw = RawOrt.measure(session, batch, options.secondsPerBatchSize(), rows::get);
        if (raw.perSecond() > bestRate) {
          bestRate = raw.perSecond();
          bestBatch = batch;
        }
        out.printf("%-40s %12.1f %14.3f%n", raw.phase(), raw.perSecond(), raw.cpuMillisPerRecord());
      }
      out.println();
      out.println(
          "offered: frames sent / run length; output: detections / time from the first to the"
              + " last detection (fps)");
      out.printf(
          "%-8s %10s %10s %12s %10s %10s %9s %9s %10s%n",
          "streams",
          "offered",
          "output",
          "per stream",
          "p50 ms",
          "p99 ms",
          "skipped",
          "missing",
          "recall@.5");
      for (int streams : options.streamCounts()) {
        live(streams);
      }
      saturatedRounds(session, bestBatch, rows);
    }
  }

  /**
   * The engine saturated by a 4-stream backlog, in rounds, each next to a fresh raw ORT run at the
   * best batch size: on a shared machine the speed of both drifts over minutes, so each round's
   * ratio compares runs seconds apart.
   */
  private void saturatedRounds(ModelSession session, int batch, List<Map<String, Tensor>> rows)
      throws Exception {
    out.println();
    out.printf(
        "4-stream backlog, %d + %d frames a round (the clock starts after the first), engine"
            + " batches <= %d, %d at once, ORT threads %s%n",
        options.warmupFrames(),
        options.backlogFrames(),
        options.batch().maxBatchSize(),
        options.batch().concurrency(),
        options.engineIntraOpThreads() == 0 ? "all" : options.engineIntraOpThreads());
    out.printf(
        "%-6s %18s %14s %18s %14s %11s %10s%n",
        "round",
        "raw ORT frames/s",
        "CPU ms/frame",
        "engine frames/s",
        "CPU ms/frame",
        "mean batch",
        "engine/raw");
    List<Double> ratios = new ArrayList<>();
    double engineSum = 0;
    double rawSum = 0;
    try (SyntheticCameras cameras = new SyntheticCameras("cam", 4, 320, 320, 0.85f, 13)) {
      List<Frame> clip = clip(cameras, 4);
      for (int round = 1; round <= options.rounds(); round++) {
        Throughput raw =
            RawOrt.measure(session, batch, 2 * options.secondsPerBatchSize(), rows::get);
        BacklogRun run = saturated(clip, 4);
        Throughput engine = run.rate();
        double ratio = engine.perSecond() / raw.perSecond();
        ratios.add(ratio);
        engineSum += engine.perSecond();
        rawSum += raw.perSecond();
        out.printf(
            "%-6d %18.1f %14.3f %18.1f %14.3f %11.1f %9.1f%%%n",
            round,
            raw.perSecond(),
            raw.cpuMillisPerRecord(),
            engine.perSecond(),
            engine.cpuMillisPerRecord(),
            run.meanBatch(),
            100 * ratio);
      }
    }
    ratios.sort(null);
    out.printf(
        "engine / raw ORT (batch %d), 4-stream backlog: mean of rounds %.1f%% (%.1f vs %.1f"
            + " frames/s), median %.1f%%, range %.1f%%..%.1f%%%n",
        batch,
        100 * ratios.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN),
        engineSum / ratios.size(),
        rawSum / ratios.size(),
        100 * ratios.get(ratios.size() / 2),
        100 * ratios.get(0),
        100 * ratios.get(ratios.size() - 1));
  }

  /**
   * Four seconds of each camera, rendered and encoded once: the backlog loops over them, so filling
   * it costs produce time only and every round sees the same frames.
   */
  private List<Frame> clip(SyntheticCameras cameras, int streams) {
    List<Frame> clip = new ArrayList<>();
    for (int i = 0; i < 240 * streams; i++) {
      clip.add(cameras.next(i % streams).frame());
    }
    return clip;
  }

  private EngineSettings engineConfig(String prefix, long maxFrameAgeMillis) {
    return BenchSettings.withBatch(
            ConfigBuilder.of(options.bootstrap(), options.modelsDir()), options.batch())
        .pipeline(SsdModule.NAME)
        .set("topics.prefix", prefix)
        // The device raw ORT runs on, so both sides of the ratio use the same one.
        .defaults("device", "cpu")
        .defaults("intraOpThreads", options.engineIntraOpThreads())
        .defaults("maxInputAgeMillis", maxFrameAgeMillis)
        .build();
  }

  /** Cameras at their frame rate for a while; latency from capture to the published detection. */
  private void live(int streams) throws Exception {
    String prefix = "bench-live-" + streams + "-";
    try (Backlog topics = new Backlog(options.bootstrap(), options.partitions())) {
      live(streams, prefix);
      topics.delete(prefix + "frames", prefix + "detections");
    }
  }

  private void live(int streams, String prefix) throws Exception {
    try (Engine engine = Engine.start(engineConfig(prefix, options.maxFrameAgeMillis()));
        SyntheticCameras cameras = new SyntheticCameras("cam", streams, 320, 320, 0.85f, 9)) {
      Map<String, List<SceneObject>> truth = new ConcurrentHashMap<>();
      DetectionRecall recall = new DetectionRecall(0.5);
      LiveCameras.LiveRun run =
          LiveCameras.run(
              options.bootstrap(),
              prefix + "frames",
              prefix + "detections",
              DETECTIONS,
              Detections::getCaptureTimeMicros,
              cameras,
              options.fps(),
              options.secondsPerRun(),
              shot ->
                  truth.put(shot.frame().getStreamId() + "#" + shot.frame().getSeq(), shot.truth()),
              detected -> {
                Detections frame = detected.value();
                List<SceneObject> objects = truth.get(frame.getStreamId() + "#" + frame.getSeq());
                if (objects != null) {
                  recall.add(objects, frame.getDetections());
                }
              },
              engine.metrics().get(0)::recordsSkipped,
              Duration.ofSeconds(15));
      double skipped = engine.metrics().get(0).recordsSkipped();
      out.printf(
          "%-8d %10.1f %10.1f %12.1f %10.1f %10.1f %9.0f %9d %10.3f%n",
          streams,
          run.sent() / options.secondsPerRun(),
          run.outputFps(),
          run.outputFps() / streams,
          run.percentile(0.5),
          run.percentile(0.99),
          skipped,
          run.missing(skipped),
          recall.recall());
    }
  }

  /** The engine's ceiling on this model: a backlog of frames from the clip, no pacing. */
  private BacklogRun saturated(List<Frame> clip, int streams) throws Exception {
    String prefix = "bench-backlog-";
    try (Backlog backlog = new Backlog(options.bootstrap(), options.partitions())) {
      long total = options.warmupFrames() + options.backlogFrames();
      backlog.fill(
          prefix + "frames",
          prefix + "detections",
          total,
          i -> {
            Frame shot = clip.get((int) (i % clip.size()));
            // Sequence numbers keep counting through the loops of the clip.
            Frame frame = Frame.newBuilder(shot).setSeq(i / streams).build();
            return new Backlog.Keyed(frame.getStreamId(), frames.encode(frame));
          });
      Throughput rate;
      double meanBatch;
      try (Engine engine = Engine.start(engineConfig(prefix, 0))) {
        rate =
            backlog.timeUntil(
                "engine, backlog",
                prefix + "detections",
                options.warmupFrames(),
                total,
                Duration.ofMinutes(10));
        meanBatch = engine.metrics().get(0).meanBatchSize();
      }
      // Deleted once the engine is closed, so no consumer fetches a vanishing topic.
      backlog.delete(prefix + "frames", prefix + "detections");
      return new BacklogRun(rate, meanBatch);
    }
  }
}
