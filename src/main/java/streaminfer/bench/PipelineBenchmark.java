package streaminfer.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import streaminfer.client.Progress;
import streaminfer.config.ConfigLoader;
import streaminfer.config.ConfigTree;
import streaminfer.config.EngineSettings;
import streaminfer.config.PipelineSettings;
import streaminfer.engine.Engine;
import streaminfer.engine.OfflinePipeline;
import streaminfer.family.DemoSource;
import streaminfer.family.FamilyModules;
import streaminfer.runtime.ModelSession;
import streaminfer.runtime.Tensor;
import streaminfer.stream.Output;
import streaminfer.stream.RecordProcessor;
import streaminfer.stream.StreamConfig;
import streaminfer.stream.StreamMetrics;
import streaminfer.stream.StreamVerticle;
import streaminfer.stream.state.StreamState;

/**
 * Every configured pipeline against its own ceilings, measured in one run on one broker, in outputs
 * per second: raw ORT of the main model (the compute ceiling, converted by the main-model rows an
 * output costs), the whole family pipeline in process without Kafka (decode, preprocess, ORT,
 * postprocess, encode: {@link OfflinePipeline}), and a Kafka pass-through moving outputs of the
 * same count and size with no inference (the stream layer with a copying processor). The headline
 * is the engine over the lowest of the three ({@link Ceilings}).
 *
 * <p>Fairness: every phase uses the pipeline's configured device, ORT threads, batching and warm-up
 * (one configuration, read once); the same pre-generated records (the family's demo feed, spread
 * round-robin over the partitions); one clock rule (from the tenth of the outputs to the last); and
 * rounds in alternating order, so no phase always runs first on a cold JIT.
 */
public final class PipelineBenchmark {
  public static final String RAW_ORT = "raw ORT";
  public static final String IN_PROCESS = "in process";
  public static final String PASS_THROUGH = "Kafka pass-through";
  private static final Duration PHASE_DEADLINE = Duration.ofMinutes(10);
  private static final int PROBE_RECORDS = 500;

  /**
   * @param pipelines the configured pipelines to measure; empty: every one with a demo feed
   * @param secondsPerPhase a phase's records are sized to take about this long in process
   * @param engineProcess run the engine phase as its own {@code serve} process (as deployed), not
   *     in this JVM
   * @param docs the markdown file whose generated section (and plot beside it) is rewritten
   * @param command the command line, printed with the table
   */
  public record Options(
      Path config,
      List<String> pipelines,
      double secondsPerPhase,
      long minRecords,
      long maxRecords,
      double rawOrtSeconds,
      int rounds,
      int partitions,
      Path outDir,
      Optional<Path> docs,
      boolean engineProcess,
      String command) {}

  /** An in-process phase: the throughput (outputs), and what the outputs were. */
  private record InProcessRun(
      Throughput throughput, long inputs, long outputs, long outputBytes, long failed) {}

  private final Options options;
  private final PrintStream out;
  private final ConfigLoader loader = new ConfigLoader(FamilyModules.discover(), Map.of());

  public PipelineBenchmark(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public List<Ceilings> run(String bootstrap) throws Exception {
    List<String> names = options.pipelines();
    if (names.isEmpty()) {
      names =
          loader.load(Optional.of(options.config())).pipelines().stream()
              .map(PipelineSettings::name)
              .toList();
    }
    MachineFacts machine = MachineFacts.current();
    out.println(machine.markdown());
    List<Ceilings> results = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (String name : names) {
      pipeline(bootstrap, name, notes).ifPresent(results::add);
    }
    notes.add(
        "Outputs per second; every phase runs the pipeline's configured device, ORT threads,"
            + " batching and warm-up, on the same pre-generated demo records spread round-robin"
            + " over "
            + options.partitions()
            + " partitions, timed from the tenth of its outputs to the last; means of "
            + options.rounds()
            + " rounds in alternating order. Raw ORT: the main model alone at its best batch,"
            + " per output (main-model rows per output as counted in process). Broker, engine"
            + " and client share this machine's cores.");
    String markdown =
        BenchReport.markdown(
            machine,
            Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
            options.command(),
            results,
            notes);
    out.println();
    out.print(markdown);
    String title = "engine vs each ceiling, outputs/s (share of the lowest ceiling)";
    Files.createDirectories(options.outDir());
    Files.writeString(options.outDir().resolve("pipelines.md"), markdown);
    Files.writeString(options.outDir().resolve("pipelines.svg"), BenchPlot.svg(title, results));
    if (options.docs().isPresent()) {
      Path docs = options.docs().get();
      String plot = "benchmarks-pipelines.svg";
      Files.writeString(docs.resolveSibling(plot), BenchPlot.svg(title, results));
      BenchReport.writeSection(
          docs,
          "## Every pipeline against its ceilings (`bench pipelines`, generated)\n"
              + "Written by the benchmark itself; the sections below are the hand-kept history.\n\n"
              + markdown
              + "\n![engine against each ceiling]("
              + plot
              + ")\n");
      out.println("wrote the generated section of " + docs + " and " + plot);
    }
    return results;
  }

  private Optional<Ceilings> pipeline(String bootstrap, String name, List<String> notes)
      throws Exception {
    EngineSettings offlineSettings = settings(bootstrap, name, "bench-pl-" + name + "-");
    PipelineSettings served = offlineSettings.pipelines().get(0);
    Optional<DemoSource> feed = served.family().module().demo(offlineSettings.modelsDir());
    if (feed.isEmpty()) {
      out.println(name + ": its family has no demo records; skipped");
      return Optional.empty();
    }
    try (DemoSource demo = feed.get();
        OfflinePipeline offline = OfflinePipeline.start(offlineSettings, served)) {
      // Sizes the phases: a short in-process run (it also warms the pipeline up).
      InProcessRun probe =
          inProcess(offline, served, generate(demo, 0, PROBE_RECORDS), name + " probe");
      double inputsPerSecond = probe.inputs() / probe.throughput().seconds();
      // At least five times what may be in flight: with fewer, every record would start at once
      // and finish in one burst, and the clock would time the burst, not the steady state.
      long count =
          Math.max(
              Math.max(options.minRecords(), 5L * served.maxInFlightRecords()),
              Math.min(
                  options.maxRecords(), Math.round(inputsPerSecond * options.secondsPerPhase())));
      List<Backlog.Keyed> records = generate(demo, PROBE_RECORDS, count);
      out.printf(
          "%s: %d records per phase (family %s, device %s, ORT intra-op threads %d, batch <= %d)%n",
          name,
          count,
          served.family().module().name(),
          served.device(),
          served.tuning().intraOpThreads(),
          served.batch().maxBatchSize());
      Map<String, List<Double>> rates = new LinkedHashMap<>();
      List<Double> engine = new ArrayList<>();
      List<Double> batches = new ArrayList<>();
      double rowsPerOutput = Double.NaN;
      int outputsPerInput = 1;
      int bytesPerOutput = 0;
      for (int round = 0; round < options.rounds(); round++) {
        List<String> order = new ArrayList<>(List.of(IN_PROCESS, RAW_ORT, PASS_THROUGH, "engine"));
        if (round % 2 == 1) {
          Collections.reverse(order);
        }
        if (round == 0) {
          // The Kafka phases need the output shape the in-process run measures: it goes first.
          order.remove(IN_PROCESS);
          order.add(0, IN_PROCESS);
        }
        for (String phase : order) {
          String label = name + " round " + (round + 1) + ": " + phase;
          Throughput row;
          switch (phase) {
            case IN_PROCESS -> {
              long rowsBefore = offline.mainModelRows();
              InProcessRun run = inProcess(offline, served, records, label);
              if (run.failed() > 0) {
                throw new IllegalStateException(
                    label + ": " + run.failed() + " records failed in process");
              }
              rowsPerOutput = (offline.mainModelRows() - rowsBefore) / (double) run.outputs();
              outputsPerInput = Math.max(1, (int) Math.round(run.outputs() / (double) count));
              bytesPerOutput = (int) (run.outputBytes() / Math.max(1, run.outputs()));
              row = run.throughput();
            }
            case RAW_ORT -> row = rawOrt(offline.mainSession(), served, rowsPerOutput, label);
            case PASS_THROUGH ->
                row =
                    passThrough(
                        bootstrap, name, round, records, outputsPerInput, bytesPerOutput, label);
            default -> {
              double[] meanBatch = new double[1];
              row = engine(bootstrap, name, round, records, outputsPerInput, label, meanBatch);
              batches.add(meanBatch[0]);
            }
          }
          out.printf(
              "%-56s %8d outputs %7.2f s %10.1f outputs/s %7.3f CPU ms/output%n",
              row.phase(), row.records(), row.seconds(), row.perSecond(), row.cpuMillisPerRecord());
          out.flush();
          if (phase.equals("engine")) {
            engine.add(row.perSecond());
          } else {
            rates.computeIfAbsent(phase, p -> new ArrayList<>()).add(row.perSecond());
          }
        }
      }
      Map<String, Double> ceilings = new LinkedHashMap<>();
      // Raw ORT of the main model bounds the pipeline only where an output is one main-model row;
      // where it is several (a dialogue: one row per word, on inputs of other shapes than the
      // golden rows raw ORT runs), the figure is printed but is no ceiling.
      boolean rawIsCeiling = Math.abs(rowsPerOutput - 1) < 0.01;
      if (rawIsCeiling) {
        ceilings.put(RAW_ORT, mean(rates.get(RAW_ORT)));
      } else {
        out.printf(
            "%s: raw ORT %.1f outputs/s is no ceiling here (%.2f main-model rows per output)%n",
            name, mean(rates.get(RAW_ORT)), rowsPerOutput);
        notes.add(
            String.format(
                java.util.Locale.ROOT,
                "`%s`: raw ORT of the main model alone, %.0f outputs/s (%.2f rows per output on"
                    + " its golden rows), is not counted as a ceiling.",
                name,
                mean(rates.get(RAW_ORT)),
                rowsPerOutput));
      }
      for (String ceiling : List.of(IN_PROCESS, PASS_THROUGH)) {
        ceilings.put(ceiling, mean(rates.get(ceiling)));
      }
      Ceilings result = new Ceilings(name, ceilings, mean(engine));
      out.printf(
          "%s: engine %.1f outputs/s (mean batch %.1f)%n", name, result.engine(), mean(batches));
      for (String ceiling : ceilings.keySet()) {
        out.printf(
            "%s: engine / %-20s %6.1f%% (%.1f outputs/s)%n",
            name, ceiling, 100 * result.ratio(ceiling), ceilings.get(ceiling));
      }
      out.printf(
          "%s: engine / lowest ceiling (%s) %.1f%%%n",
          name, result.binding(), 100 * result.headline());
      notes.add(
          String.format(
              java.util.Locale.ROOT,
              "`%s`: %d records per phase, %d output(s) of %d bytes each, %.2f main-model rows per"
                  + " output, engine mean batch %s.",
              name,
              count,
              outputsPerInput,
              bytesPerOutput,
              rowsPerOutput,
              Double.isNaN(mean(batches))
                  ? "n/a (a serve process)"
                  : String.format(java.util.Locale.ROOT, "%.1f", mean(batches))));
      return Optional.of(result);
    }
  }

  /** The pipeline alone from the configuration, on topics of its own, every input served. */
  private EngineSettings settings(String bootstrap, String pipeline, String prefix) {
    return loader.read(tree(bootstrap, pipeline, prefix));
  }

  private ObjectNode tree(String bootstrap, String pipeline, String prefix) {
    ObjectNode tree = loader.tree(Optional.of(options.config()));
    ConfigTree.selectPipelines(tree, List.of(pipeline));
    ConfigTree.setKafka(tree, "bootstrap.servers", bootstrap);
    ConfigTree.set(tree, "embeddedBroker.enabled", "false");
    ConfigTree.set(tree, "kafkaWarmup.topic", "");
    ConfigTree.set(tree, "ops.port", "0");
    ConfigTree.set(tree, "ops.reportEverySeconds", "0");
    ConfigTree.set(tree, "topics.prefix", prefix);
    ConfigTree.set(tree, "topics.partitions", Integer.toString(options.partitions()));
    // A backlog is old by the time it is served: live mode would skip it.
    ConfigTree.setInEveryPipeline(tree, "maxInputAgeMillis", "0");
    // Relative paths (models) resolved here, so a serve process elsewhere finds the same files.
    ConfigTree.set(
        tree, "models.dir", loader.read(tree.deepCopy()).modelsDir().toAbsolutePath().toString());
    return tree;
  }

  private static List<Backlog.Keyed> generate(DemoSource demo, long first, long count) {
    List<Backlog.Keyed> records = new ArrayList<>();
    for (long n = first; n < first + count; n++) {
      DemoSource.KeyedValue record = demo.next().apply(n);
      records.add(new Backlog.Keyed(record.key(), record.value()));
    }
    return records;
  }

  /**
   * Feeds the records to the processor from this one thread (as the event loop would), at most the
   * pipeline's in-flight limit at once; timed from the tenth of the outputs to the last.
   */
  private InProcessRun inProcess(
      OfflinePipeline offline, PipelineSettings served, List<Backlog.Keyed> records, String label)
      throws InterruptedException {
    // Each run starts from no state, as each engine phase does (fresh topics, fresh stores).
    offline.clearState();
    RecordProcessor processor = offline.processor();
    int window = served.maxInFlightRecords();
    Semaphore inFlight = new Semaphore(window);
    AtomicLong outputs = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicLong clockAt = new AtomicLong();
    AtomicLong cpuAt = new AtomicLong();
    AtomicLong outputsAtClock = new AtomicLong();
    AtomicLong lastAt = new AtomicLong();
    // Unknown up front how many outputs a record makes: the clock starts at a tenth of the inputs.
    long warmInputs = Math.max(1, records.size() / 10);
    AtomicLong finishedInputs = new AtomicLong();
    try (Progress progress = Progress.onStdout(label, "records", records.size())) {
      for (int i = 0; i < records.size(); i++) {
        Backlog.Keyed record = records.get(i);
        inFlight.acquire();
        CompletableFuture<List<Output>> done;
        try {
          done =
              processor
                  .process(i % options.partitions(), record.key(), record.value())
                  .toCompletableFuture();
        } catch (RuntimeException e) {
          done = CompletableFuture.failedFuture(e);
        }
        done.whenComplete(
            (produced, failure) -> {
              if (failure != null) {
                failed.incrementAndGet();
              } else {
                outputs.addAndGet(produced.size());
                produced.forEach(output -> bytes.addAndGet(output.value().length));
              }
              if (finishedInputs.incrementAndGet() == warmInputs) {
                outputsAtClock.set(outputs.get());
                cpuAt.set(Throughput.processCpuNanos());
                clockAt.set(System.nanoTime());
              }
              lastAt.set(System.nanoTime());
              inFlight.release();
            });
        progress.advance(1, record.value().length);
      }
      if (!inFlight.tryAcquire(window, PHASE_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
        throw new IllegalStateException(
            label + ": records still in flight after " + PHASE_DEADLINE);
      }
    }
    double seconds = Math.max(1e-3, (lastAt.get() - clockAt.get()) / 1e9);
    Throughput throughput =
        new Throughput(
            label,
            outputs.get() - outputsAtClock.get(),
            seconds,
            (Throughput.processCpuNanos() - cpuAt.get()) / 1e9);
    return new InProcessRun(throughput, records.size(), outputs.get(), bytes.get(), failed.get());
  }

  /**
   * The main model alone at batch 1 and at the pipeline's largest batch; the better, per output.
   */
  private Throughput rawOrt(
      ModelSession session, PipelineSettings served, double rowsPerOutput, String label) {
    List<Map<String, Tensor>> rows = session.sampleRows();
    Throughput best = null;
    for (int batch : List.of(1, served.batch().maxBatchSize())) {
      Throughput raw =
          RawOrt.measure(session, batch, options.rawOrtSeconds(), i -> rows.get(i % rows.size()));
      if (best == null || raw.perSecond() > best.perSecond()) {
        best = raw;
      }
    }
    // Rows per second to outputs per second.
    return new Throughput(
        label + ", batch " + best.phase().substring(best.phase().lastIndexOf(' ') + 1),
        Math.round(best.records() / rowsPerOutput),
        best.seconds(),
        best.cpuSeconds());
  }

  /** The stream layer as the engine runs it, with a processor that copies instead of inferring. */
  private Throughput passThrough(
      String bootstrap,
      String name,
      int round,
      List<Backlog.Keyed> records,
      int outputsPerInput,
      int bytesPerOutput,
      String label)
      throws Exception {
    EngineSettings settings =
        settings(bootstrap, name, "bench-pl-" + name + "-passthrough-" + round + "-");
    PipelineSettings served = settings.pipelines().get(0);
    String output = served.outputTopics().values().iterator().next();
    // The pass-through is fast where outputs are small: it replays the records up to 10 times
    // (within about 200 MB in and out), so its phase lasts long enough for the 20 ms clock.
    long bytes =
        records.stream().mapToLong(record -> record.value().length).sum()
            + (long) records.size() * outputsPerInput * bytesPerOutput;
    int repeat = (int) Math.max(1, Math.min(10, 200_000_000L / Math.max(1, bytes)));
    long inputs = (long) repeat * records.size();
    long expected = (long) outputsPerInput * inputs;
    byte[] payload = new byte[bytesPerOutput];
    List<Output> outputs = Collections.nCopies(outputsPerInput, new Output(output, null, payload));
    try (Backlog backlog = new Backlog(bootstrap, options.partitions())) {
      backlog.fill(
          served.inputTopic(), output, inputs, i -> records.get((int) (i % records.size())), true);
      StreamConfig stream = Engine.streamConfig(settings, served);
      Vertx vertx = Vertx.vertx();
      StreamState state = StreamState.of(stream, topic -> settings.topicPrefix() + topic);
      try {
        RecordProcessor copying =
            (partition, key, value) -> CompletableFuture.completedFuture(outputs);
        vertx
            .deployVerticle(new StreamVerticle(stream, copying, state, StreamMetrics.NONE))
            .toCompletionStage()
            .toCompletableFuture()
            .get(60, TimeUnit.SECONDS);
        return backlog.timeUntil(label, output, expected / 10, expected, PHASE_DEADLINE);
      } finally {
        vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        state.close();
        backlog.delete(served.inputTopic(), output);
      }
    }
  }

  private Throughput engine(
      String bootstrap,
      String name,
      int round,
      List<Backlog.Keyed> records,
      int outputsPerInput,
      String label,
      double[] meanBatch)
      throws Exception {
    String prefix = "bench-pl-" + name + "-engine-" + round + "-";
    EngineSettings settings = settings(bootstrap, name, prefix);
    PipelineSettings served = settings.pipelines().get(0);
    String output = served.outputTopics().values().iterator().next();
    long expected = (long) outputsPerInput * records.size();
    try (Backlog backlog = new Backlog(bootstrap, options.partitions())) {
      backlog.fill(served.inputTopic(), output, records.size(), i -> records.get((int) i), true);
      List<String> topics = new ArrayList<>(served.outputTopics().values());
      topics.add(0, served.inputTopic());
      try {
        if (options.engineProcess()) {
          try (EngineProcess engine = EngineProcess.start(tree(bootstrap, name, prefix))) {
            meanBatch[0] = Double.NaN;
            out.printf(
                "%s: serve ready in %.1f s (log %s)%n", label, engine.readySeconds(), engine.log());
            return backlog.timeUntil(
                label + " (serve process; CPU: this client only)",
                output,
                expected / 10,
                expected,
                PHASE_DEADLINE);
          }
        }
        try (Engine engine = Engine.start(settings)) {
          Throughput row =
              backlog.timeUntil(label, output, expected / 10, expected, PHASE_DEADLINE);
          meanBatch[0] = engine.metrics().get(0).meanBatchSize();
          return row;
        }
      } finally {
        backlog.delete(topics.toArray(String[]::new));
      }
    }
  }

  private static double mean(List<Double> values) {
    return values == null
        ? Double.NaN
        : values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }
}
