package streaminfer.family.dgex.tools;

import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import streaminfer.batch.BatchConfig;
import streaminfer.bench.Backlog;
import streaminfer.bench.BenchSettings;
import streaminfer.bench.RawOrt;
import streaminfer.bench.Throughput;
import streaminfer.codec.AvroCodec;
import streaminfer.codec.Floats;
import streaminfer.codec.WriterSchemas;
import streaminfer.config.ConfigBuilder;
import streaminfer.config.EngineSettings;
import streaminfer.engine.Engine;
import streaminfer.family.dgex.DgexModule;
import streaminfer.family.dgex.SyntheticPanels;
import streaminfer.runtime.DevicePolicy;
import streaminfer.runtime.ModelRepository;
import streaminfer.runtime.ModelSession;
import streaminfer.runtime.SessionTuning;
import streaminfer.runtime.Tensor;
import streaminfer.stream.Output;
import streaminfer.stream.StreamConfig;
import streaminfer.stream.StreamMetrics;
import streaminfer.stream.StreamVerticle;
import streaminfer.stream.state.StreamState;
import streaminfer.v1.GeneExpression;
import streaminfer.v1.GenePanel;

/**
 * D-GEX side by side, in one run on one broker and model: the compute ceiling (raw ORT at batch
 * 1..128), the I/O ceiling (a Kafka pass-through producing outputs of the same size, no inference),
 * the per-record baseline, and the engine; then the engine's ratios to each.
 */
public final class DgexBenchmark {
  /** What to run; {@code records} per Kafka phase, fewer for the slow baseline. */
  public record Options(
      String bootstrap,
      Path modelsDir,
      long records,
      long baselineRecords,
      double secondsPerBatchSize,
      BatchConfig batch,
      int intraOpThreads,
      int partitions,
      int rounds) {}

  private static final Duration PHASE_DEADLINE = Duration.ofMinutes(10);

  private final Options options;
  private final PrintStream out;
  private final WriterSchemas schemas = WriterSchemas.v1();
  private final AvroCodec<GenePanel> panels = AvroCodec.forType(GenePanel.class, schemas);
  private final AvroCodec<GeneExpression> expressions =
      AvroCodec.forType(GeneExpression.class, schemas);

  public DgexBenchmark(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public List<Throughput> run() throws Exception {
    List<Throughput> rows = new ArrayList<>();
    ModelRepository repository = new ModelRepository(options.modelsDir());
    SyntheticPanels generator =
        SyntheticPanels.fromGolden(
            repository.versionDirectory(DgexModule.NAME, OptionalInt.empty()), 1);
    SessionTuning tuning = new SessionTuning(options.intraOpThreads(), 0);
    out.printf(
        "every phase: device cpu, ORT intra-op threads %d (0: all cores); Kafka phases timed from"
            + " their first output to their last%n",
        options.intraOpThreads());
    try (Backlog backlog = new Backlog(options.bootstrap(), options.partitions());
        ModelSession session =
            repository.open(DgexModule.NAME, OptionalInt.empty(), DevicePolicy.CPU, tuning)) {
      for (int batch = 1; batch <= 128; batch *= 2) {
        String input = session.metadata().inputs().get(0).name();
        rows.add(
            report(
                RawOrt.measure(
                    session,
                    batch,
                    options.secondsPerBatchSize(),
                    i ->
                        Map.of(
                            input, Tensor.of(Floats.toArray(generator.next("raw").getValues()))))));
      }
      rows.add(report(perRecord(backlog, generator, session, true)));
      rows.add(report(perRecord(backlog, generator, session, false)));
      int outputSize = session.metadata().outputs().get(0).rowSize();
      for (int round = 0; round < options.rounds(); round++) {
        // Alternate which goes first (ABBA), so drift in the shared broker favours neither.
        if (round % 2 == 0) {
          rows.add(report(passThrough(backlog, generator, outputSize, round)));
          rows.add(report(engine(backlog, generator, round)));
        } else {
          rows.add(report(engine(backlog, generator, round)));
          rows.add(report(passThrough(backlog, generator, outputSize, round)));
        }
      }
    }
    printRatios(rows);
    return rows;
  }

  private Throughput passThrough(
      Backlog backlog, SyntheticPanels generator, int outputSize, int round) throws Exception {
    String in = "bench-passthrough-" + round + "-in";
    String outTopic = "bench-passthrough-" + round + "-out";
    fill(backlog, in, outTopic, options.records(), generator);
    float[] sameSizeOutput = new float[outputSize];
    Vertx vertx = Vertx.vertx();
    try {
      StreamConfig stream =
          StreamConfig.of(options.bootstrap(), "bench-" + in, in, outTopic)
              .withMaxInFlightRecords(options.batch().queueCapacity());
      StreamVerticle verticle =
          new StreamVerticle(
              stream,
              (partition, key, value) -> {
                GenePanel panel = panels.decode(value);
                return CompletableFuture.completedFuture(
                    Output.one(
                        outTopic,
                        expressions.encode(
                            GeneExpression.newBuilder()
                                .setSampleId(panel.getSampleId())
                                .setModel("passthrough")
                                .setModelVersion("0")
                                .setValues(Floats.view(sameSizeOutput))
                                .build())));
              },
              StreamState.of(stream, UnaryOperator.identity()),
              StreamMetrics.NONE);
      vertx
          .deployVerticle(verticle)
          .toCompletionStage()
          .toCompletableFuture()
          .get(60, TimeUnit.SECONDS);
      return backlog.timeUntil(
          "Kafka pass-through, no inference (I/O ceiling)",
          outTopic,
          options.records(),
          PHASE_DEADLINE);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      backlog.delete(in, outTopic);
    }
  }

  private Throughput perRecord(
      Backlog backlog, SyntheticPanels generator, ModelSession session, boolean waitEachSend)
      throws Exception {
    String variant = waitEachSend ? "sync" : "async";
    String in = "bench-baseline-" + variant + "-in";
    String outTopic = "bench-baseline-" + variant + "-out";
    fill(backlog, in, outTopic, options.baselineRecords(), generator);
    Thread baseline =
        new Thread(
            new PerRecordBaseline(
                options.bootstrap(),
                in,
                outTopic,
                options.baselineRecords(),
                session,
                panels,
                expressions,
                waitEachSend),
            "per-record-baseline");
    baseline.start();
    Throughput result =
        backlog.timeUntil(
            waitEachSend
                ? "per-record baseline (batch 1, each send awaited, linger 0)"
                : "per-record, async sends (batch 1, flush per poll)",
            outTopic,
            options.baselineRecords(),
            PHASE_DEADLINE);
    baseline.join();
    backlog.delete(in, outTopic);
    return result;
  }

  private Throughput engine(Backlog backlog, SyntheticPanels generator, int round)
      throws Exception {
    String prefix = "bench-engine-" + round + "-";
    fill(backlog, prefix + "gene-panels", prefix + "gene-expression", options.records(), generator);
    EngineSettings config =
        BenchSettings.withBatch(
                ConfigBuilder.of(options.bootstrap(), options.modelsDir()), options.batch())
            .pipeline(DgexModule.NAME)
            .set("topics.prefix", prefix)
            .defaults("device", "cpu")
            .defaults("intraOpThreads", options.intraOpThreads())
            .build();
    try (Engine engine = Engine.start(config)) {
      Throughput result =
          backlog.timeUntil(
              "engine (batch <= " + options.batch().maxBatchSize() + ")",
              prefix + "gene-expression",
              options.records(),
              PHASE_DEADLINE);
      out.printf("engine mean batch size: %.1f%n", engine.metrics().get(0).meanBatchSize());
      return result;
    } finally {
      backlog.delete(prefix + "gene-panels", prefix + "gene-expression");
    }
  }

  private void fill(
      Backlog backlog, String topic, String outputTopic, long count, SyntheticPanels generator) {
    backlog.fill(
        topic,
        outputTopic,
        count,
        i -> {
          String key = "bench-" + i;
          return new Backlog.Keyed(key, panels.encode(generator.next(key)));
        });
  }

  private Throughput report(Throughput row) {
    out.printf(
        "%-52s %8d records %8.2f s %10.1f records/s%n",
        row.phase(), row.records(), row.seconds(), row.perSecond());
    out.flush();
    return row;
  }

  private void printRatios(List<Throughput> rows) {
    double compute =
        rows.stream()
            .filter(r -> r.phase().startsWith("raw ORT"))
            .mapToDouble(Throughput::perSecond)
            .max()
            .orElseThrow();
    double io = find(rows, "Kafka pass-through");
    double baseline = find(rows, "per-record baseline");
    double asyncBaseline = find(rows, "per-record, async");
    double engine = find(rows, "engine");
    out.println();
    out.printf("compute ceiling (best raw ORT batch)   %10.1f records/s%n", compute);
    out.printf("I/O ceiling (pass-through, mean)       %10.1f records/s%n", io);
    out.printf(
        "engine (mean of %d rounds)              %10.1f records/s%n", options.rounds(), engine);
    out.printf("engine / per-record baseline           %10.2f x%n", engine / baseline);
    out.printf("engine / per-record, async sends       %10.2f x%n", engine / asyncBaseline);
    out.printf("engine / compute ceiling               %10.1f %%%n", 100 * engine / compute);
    out.printf("engine / I/O ceiling                   %10.1f %%%n", 100 * engine / io);
    out.printf(
        "engine / lower ceiling                 %10.1f %%%n", 100 * engine / Math.min(compute, io));
  }

  /** The mean rate of every round of a phase. */
  private static double find(List<Throughput> rows, String prefix) {
    return rows.stream()
        .filter(r -> r.phase().startsWith(prefix))
        .mapToDouble(Throughput::perSecond)
        .average()
        .orElseThrow();
  }
}
