package streaminfer.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import streaminfer.client.PacedProducer;
import streaminfer.codec.AvroCodec;
import streaminfer.codec.WriterSchemas;
import streaminfer.family.DemoSource;
import streaminfer.family.FamilyModule;
import streaminfer.family.FamilyModules;
import streaminfer.v1.Detections;
import streaminfer.v1.Frame;

/**
 * The fault suite's overload: a live camera stream faster than the packaged engine serves it (SSD,
 * live mode at 500 ms, one frame per ORT run, {@code -Xmx512m}), for twenty seconds. The engine
 * must stay in its group, keep the age of what it serves bounded by skipping stale frames, stay
 * within its heap, and drain the backlog afterwards.
 */
@Tag("fault-suite")
class OverloadIT {
  private static final int OVERLOAD_SECONDS = 20;
  private static final int FRAME_POOL = 100;
  // Frames per second: more than the engine serves with what the broker and this producer leave
  // it of two cores; faster, and frames are stale before the engine reads them.
  private static final int MAX_RATE = 600;
  private static final Pattern HEAP =
      Pattern.compile("jvm_memory_used_bytes\\{area=\"heap\",[^}]*\\} ([0-9.E]+)");

  @TempDir Path dataDir;

  @Test
  void tenTimesTheSustainableRateKeepsTheMemberItsLatencyAndItsHeapBoundedAndThenDrains()
      throws Exception {
    FamilyModule<?> ssd = FamilyModules.discover().get("ssd");
    String input = ssd.input().defaultName();
    String output = ssd.outputs().get(0).defaultName();
    AvroCodec<Detections> detections = AvroCodec.forType(Detections.class, WriterSchemas.v1());
    try (EngineProcess engine =
            new EngineProcess(
                dataDir,
                List.of(input),
                List.of("--pipelines", "ssd"),
                Map.of(
                    "JAVA_TOOL_OPTIONS",
                    "-Xmx512m -XX:+ExitOnOutOfMemoryError",
                    "STREAMINFER__DEFAULTS__MAXINPUTAGEMILLIS",
                    "500",
                    // One frame per ORT run on one thread: a capacity ten times over is a rate
                    // these two cores can still produce.
                    "STREAMINFER__DEFAULTS__BATCH__MAXSIZE",
                    "1",
                    "STREAMINFER__DEFAULTS__INTRAOPTHREADS",
                    "1"));
        DemoSource demo = ssd.demo(Path.of("models")).orElseThrow();
        Admin admin =
            Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, engine.bootstrapServers()))) {
      engine.await(() -> engine.status("/health/ready") == 200, "ready");
      String generation = generation(admin);
      int overload = MAX_RATE;
      long servedBefore = engine.endOffsets(output);

      long heapPeak = 0;
      long sentBefore = engine.endOffsets(input);
      long overloadFromMicros = System.currentTimeMillis() * 1000;
      Thread producer =
          new Thread(() -> produce(engine, input, demo, overload, OVERLOAD_SECONDS), "overload");
      producer.start();
      while (producer.isAlive()) {
        heapPeak = Math.max(heapPeak, heapBytes(engine.scrape("/metrics")));
        TimeUnit.MILLISECONDS.sleep(500);
      }
      producer.join();
      long sent = engine.endOffsets(input) - sentBefore;
      double sustainable = (engine.endOffsets(output) - servedBefore) / (double) OVERLOAD_SECONDS;
      engine.await(
          () -> lag(engine, input) == 0,
          "the backlog drained (committed offsets at the input's end)");
      assertEquals(generation, generation(admin), "the member left or rejoined its group");
      String metrics = engine.scrape("/metrics");
      double skipped = counter(metrics, "streaminfer_records_skipped_total");
      assertTrue(skipped > 0, "live mode skipped no stale frame");
      assertTrue(engine.alive(), "the engine exited; log: " + engine.log());
      // A served frame's age: from its capture to the engine's send of its detections.
      List<Double> sorted = new ArrayList<>();
      engine.scan(
          output,
          engine.endOffsets(output),
          record -> {
            long captured = detections.decode(record.value()).getCaptureTimeMicros();
            if (captured >= overloadFromMicros) {
              sorted.add(record.timestamp() - captured / 1000.0);
            }
          });
      Collections.sort(sorted);
      double p99 = sorted.isEmpty() ? 0 : sorted.get((int) (0.99 * (sorted.size() - 1)));
      System.out.printf(
          "overload: served %.1f frames/s, sent %d at %d/s (%.1fx) for %d s; %.0f skipped;"
              + " peak heap %d MiB of 512, peak RSS %d MiB; %d frames served, age p99 %.0f ms%n",
          sustainable,
          sent,
          overload,
          overload / sustainable,
          OVERLOAD_SECONDS,
          skipped,
          heapPeak >> 20,
          engine.peakRssMiB(),
          sorted.size(),
          p99);
      assertTrue(heapPeak < 512L << 20, "heap within -Xmx512m");
      assertTrue(overload > sustainable, "not overloaded: " + overload + " frames/s");
      assertTrue(sorted.size() > 0, "no frame served under overload");
      assertTrue(p99 < 2_000, "served frames stay fresh under overload: p99 age " + p99 + " ms");
    }
  }

  /**
   * Sends the camera's frames at {@code rate}, each stamped with its own sequence number and
   * capture time when sent; the images repeat from a pool, since encoding a JPEG per frame would
   * hold the producer to a few hundred frames per second on these cores.
   */
  private static void produce(
      EngineProcess engine, String topic, DemoSource demo, int rate, int seconds) {
    AvroCodec<Frame> frames = AvroCodec.forType(Frame.class, WriterSchemas.v1());
    List<Frame> pool = new ArrayList<>();
    for (int i = 0; i < FRAME_POOL; i++) {
      pool.add(frames.decode(demo.next().apply(i).value()));
    }
    try (PacedProducer producer =
        new PacedProducer(
            engine.bootstrapServers(),
            topic,
            rate,
            (long) rate * seconds,
            n -> {
              Frame frame = Frame.newBuilder(pool.get((int) (n % FRAME_POOL))).build();
              frame.setSeq(n);
              frame.setCaptureTimeMicros(System.currentTimeMillis() * 1000);
              return new PacedProducer.Keyed(frame.getStreamId(), frames.encode(frame));
            })) {
      producer.run();
    }
  }

  private static String generation(Admin admin) throws Exception {
    ConsumerGroupDescription group =
        admin
            .describeConsumerGroups(List.of("streaminfer-ssd"))
            .all()
            .get(30, TimeUnit.SECONDS)
            .get("streaminfer-ssd");
    return group.groupState() + ", " + group.members().size() + " member(s): " + group.members();
  }

  private static long lag(EngineProcess engine, String input) {
    try {
      return engine.endOffsets(input) - engine.committedOffsets("streaminfer-ssd");
    } catch (Exception e) {
      return -1;
    }
  }

  private static long heapBytes(String metrics) {
    long total = 0;
    Matcher matcher = HEAP.matcher(metrics);
    while (matcher.find()) {
      total += (long) Double.parseDouble(matcher.group(1));
    }
    return total;
  }

  private static double counter(String metrics, String name) {
    Matcher matcher = Pattern.compile(name + "\\{[^}]*\\} ([0-9.E]+)").matcher(metrics);
    double total = 0;
    while (matcher.find()) {
      total += Double.parseDouble(matcher.group(1));
    }
    return total;
  }
}
