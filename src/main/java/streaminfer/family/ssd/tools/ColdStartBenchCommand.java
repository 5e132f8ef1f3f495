package streaminfer.family.ssd.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import streaminfer.bench.BenchBroker;
import streaminfer.bench.EngineProcess;
import streaminfer.broker.Topics;
import streaminfer.codec.AvroCodec;
import streaminfer.codec.WriterSchemas;
import streaminfer.source.LiveCameras;
import streaminfer.source.SyntheticCameras;
import streaminfer.v1.Detections;
import streaminfer.v1.Frame;

/**
 * {@code bench cold-start}: what a camera sees from a freshly started {@code serve}. Each variant
 * starts the engine as its own process (a fresh JVM, as a deployment would), waits until it is
 * ready, then plays one camera at its frame rate; capture-to-detection latency is reported for the
 * first seconds and for the rest of the run. Variants differ only in model warm-up; the warm-up
 * variant runs first, so whatever the shared broker gains from the earlier run favours the other.
 */
@Command(
    name = "cold-start",
    mixinStandardHelpOptions = true,
    description = "SSD: latency of a freshly started serve, with and without model warm-up.")
public final class ColdStartBenchCommand implements Callable<Integer> {
  private static final AvroCodec<Detections> DETECTIONS =
      AvroCodec.forType(Detections.class, WriterSchemas.v1());
  private static final int CLIENT_WARMUP_FRAMES = 300;

  @Mixin BenchBroker broker;

  @Option(names = "--seconds", defaultValue = "60", description = "Seconds the camera plays.")
  double seconds;

  @Option(names = "--fps", defaultValue = "60", description = "Frames per second.")
  double fps;

  @Option(
      names = "--first-seconds",
      defaultValue = "10",
      description = "The opening window, reported apart from the rest.")
  double firstSeconds;

  @Option(
      names = "--warmup-runs",
      split = ",",
      defaultValue = "2,0",
      description = "The variants: warm-up runs per batch size (0: none), in this order.")
  List<Integer> warmupRuns;

  private final AvroCodec<Frame> frames = AvroCodec.forType(Frame.class, WriterSchemas.v1());
  private final AvroCodec<Detections> detections =
      AvroCodec.forType(Detections.class, WriterSchemas.v1());

  @Override
  public Integer call() throws Exception {
    broker.run(
        bootstrap -> {
          System.out.printf(
              "%-10s %8s %8s | %-30s | %-30s | %-30s%n",
              "warm-up",
              "ready s",
              "frames",
              "first " + firstSeconds + " s: p50/p99/max ms",
              "after: p50/p99/max ms",
              "whole run: p50/p99/max ms");
          for (int i = 0; i < warmupRuns.size(); i++) {
            run(bootstrap, warmupRuns.get(i), "cold-" + i + "-");
          }
        });
    return 0;
  }

  private void run(String bootstrap, int runs, String prefix) throws Exception {
    Topics.ensure(
        bootstrap, List.of(prefix + "frames", prefix + "client-warmup"), broker.partitions());
    Path config = Files.createTempFile("streaminfer-cold-start", ".yaml");
    int port = EngineProcess.freePort();
    Files.writeString(
        config,
        """
        kafka: {bootstrap.servers: '%s'}
        models: {dir: '%s'}
        topics: {prefix: '%s'}
        ops: {port: %d, reportEverySeconds: 0}
        kafkaWarmup: {topic: '%s'}
        pipelines:
          - name: ssd
            maxInputAgeMillis: 500
            intraOpThreads: 1
            device: cpu
            batch: {maxSize: 16, concurrency: 2}
            warmup: {runs: %d}
        """
            .formatted(
                bootstrap,
                broker.modelsDir().toAbsolutePath(),
                prefix,
                port,
                runs > 0 ? "streaminfer-warmup" : "",
                runs));
    try (EngineProcess engine = EngineProcess.start(config, port)) {
      double readySeconds = engine.readySeconds();
      List<double[]> arrivals = play(bootstrap, prefix);
      long first = Math.round(firstSeconds * 1000);
      List<Double> opening = new ArrayList<>();
      List<Double> after = new ArrayList<>();
      double start = arrivals.isEmpty() ? 0 : arrivals.get(0)[0];
      for (double[] arrival : arrivals) {
        (arrival[0] - start < first ? opening : after).add(arrival[1]);
      }
      List<Double> whole = new ArrayList<>(opening);
      whole.addAll(after);
      System.out.printf(
          "%-10s %8.1f %8d | %-30s | %-30s | %-30s%n",
          runs == 0 ? "none" : runs + " runs",
          readySeconds,
          arrivals.size(),
          summary(opening),
          summary(after),
          summary(whole));
      System.out.println("  second by second, opening window: " + timeline(arrivals, start));
    }
  }

  /** Plays the camera; returns per detection its capture time and latency, in capture order. */
  private List<double[]> play(String bootstrap, String prefix) throws Exception {
    List<double[]> arrivals = Collections.synchronizedList(new ArrayList<>());
    long expected = Math.round(seconds * fps);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos((long) seconds + 15);
    Thread reader =
        LiveCameras.reader(
            bootstrap,
            prefix + "detections",
            "cold-start-" + prefix,
            DETECTIONS,
            Detections::getCaptureTimeMicros,
            detected ->
                arrivals.add(
                    new double[] {
                      detected.value().getCaptureTimeMicros() / 1000.0, detected.latencyMillis()
                    }),
            () -> arrivals.size() >= expected || System.nanoTime() > end);
    try (KafkaProducer<String, byte[]> producer = LiveCameras.producer(bootstrap);
        SyntheticCameras camera = new SyntheticCameras("cam", 1, 320, 320, 0.85f, 13)) {
      warmClient(producer, prefix);
      LiveCameras.play(producer, prefix + "frames", camera, fps, seconds, shot -> {});
    }
    reader.join();
    List<double[]> sorted = new ArrayList<>(arrivals);
    sorted.sort((a, b) -> Double.compare(a[0], b[0]));
    return sorted;
  }

  /** Per second of the opening window: detections and their worst latency. */
  private String timeline(List<double[]> arrivals, double start) {
    StringBuilder line = new StringBuilder();
    for (int second = 0; second < firstSeconds; second++) {
      int count = 0;
      double worst = 0;
      for (double[] arrival : arrivals) {
        if ((int) ((arrival[0] - start) / 1000) == second) {
          count++;
          worst = Math.max(worst, arrival[1]);
        }
      }
      line.append(String.format("%ds: %d max %.0f ms; ", second, count, worst));
    }
    return line.toString();
  }

  /**
   * The camera's side is as cold as the engine's in a fresh process: drawing and encoding the first
   * frames and the producer's first metadata request would be counted as engine latency.
   */
  private void warmClient(KafkaProducer<String, byte[]> producer, String prefix) throws Exception {
    producer.partitionsFor(prefix + "frames");
    try (SyntheticCameras scratch = new SyntheticCameras("scratch", 1, 320, 320, 0.85f, 7)) {
      for (int i = 0; i < CLIENT_WARMUP_FRAMES; i++) {
        Frame frame = scratch.next(0).frame();
        producer.send(
            new ProducerRecord<>(
                prefix + "client-warmup", frame.getStreamId(), frames.encode(frame)));
      }
    }
    producer.flush();
  }

  private static String summary(List<Double> latencies) {
    if (latencies.isEmpty()) {
      return "-";
    }
    List<Double> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    return String.format(
        "%.1f / %.1f / %.1f (n=%d)",
        LiveCameras.percentile(sorted, 0.5),
        LiveCameras.percentile(sorted, 0.99),
        sorted.get(sorted.size() - 1),
        sorted.size());
  }
}
