package streaminfer.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import streaminfer.family.DemoSource;
import streaminfer.family.FamilyModule;
import streaminfer.family.FamilyModules;

/**
 * The fault suite's orderly faults, on the packaged engine serving D-GEX at full speed: a SIGTERM
 * mid-stream, and the broker stopped and started again mid-stream.
 */
@Tag("fault-suite")
class DrainAndBrokerRestartIT {
  private static final int PANELS = 30_000;

  @TempDir Path dataDir;
  private final FamilyModule<?> dgex = FamilyModules.discover().get("dgex");
  private EngineProcess engine;

  @BeforeEach
  void start() throws Exception {
    engine = new EngineProcess(dataDir, dgex.input().defaultName(), List.of("--pipelines", "dgex"));
    List<Map.Entry<String, byte[]>> panels = new ArrayList<>();
    try (DemoSource demo = dgex.demo(Path.of("models")).orElseThrow()) {
      for (int i = 0; i < PANELS; i++) {
        DemoSource.KeyedValue panel = demo.next().apply(i);
        panels.add(Map.entry(panel.key(), panel.value()));
      }
    }
    engine.produce(dgex.input().defaultName(), panels);
  }

  @AfterEach
  void stop() throws Exception {
    engine.close();
  }

  @Test
  void aSigtermMidStreamDrainsWhatIsInFlightCommitsItAndLeavesNothingToRedo() throws Exception {
    String output = dgex.outputs().get(0).defaultName();
    engine.await(() -> endOffsets(output) >= PANELS / 10, "outputs before the SIGTERM");
    // 143 = 128 + SIGTERM: the JVM's status after its shutdown hooks ran.
    assertEquals(143, engine.terminate(), "exit status; log: " + engine.log());
    String log = Files.readString(engine.log());
    assertTrue(log.contains("drained"), log);
    long produced = endOffsets(output);
    assertTrue(produced < PANELS, "stopped mid-stream: " + produced + " of " + PANELS);
    assertEquals(
        produced,
        engine.committedOffsets("streaminfer-dgex"),
        "every record answered before the stop is committed, and none beyond");
    engine.start();
    List<ConsumerRecord<String, byte[]>> outputs =
        engine.consumeUntil(
            output, "read_uncommitted", read -> read.size() >= PANELS, "after the restart");
    assertEquals(PANELS, keys(outputs).size(), "every panel answered");
    assertEquals(PANELS, outputs.size(), "none answered twice: the drain left nothing to redo");
    System.out.printf(
        "SIGTERM after %d of %d panels: exit 143, %d committed, %d outputs in all%n",
        produced, PANELS, produced, outputs.size());
  }

  @Test
  void aBrokerRestartMidStreamTurnsReadinessOffAndOnAndLosesNothing() throws Exception {
    String output = dgex.outputs().get(0).defaultName();
    engine.await(() -> engine.status("/health/ready") == 200, "ready before the broker stops");
    engine.await(() -> endOffsets(output) >= PANELS / 10, "outputs before the broker stops");
    engine.stopBroker();
    long stoppedAt = System.nanoTime();
    engine.await(() -> engine.status("/health/ready") == 503, "not ready without a broker");
    double notReadyAfter = (System.nanoTime() - stoppedAt) / 1e9;
    assertEquals(200, engine.status("/health/live"), "alive without a broker");
    Thread.sleep(3_000);
    engine.startBroker();
    long startedAt = System.nanoTime();
    engine.await(() -> engine.status("/health/ready") == 200, "ready again with the broker back");
    double readyAfter = (System.nanoTime() - startedAt) / 1e9;
    List<ConsumerRecord<String, byte[]>> outputs =
        engine.consumeUntil(
            output, "read_uncommitted", read -> keys(read).size() >= PANELS, "after the restart");
    assertEquals(PANELS, keys(outputs).size(), "every panel answered");
    assertTrue(engine.alive(), "the engine kept running; log: " + engine.log());
    System.out.printf(
        "broker restart: not ready %.1f s after the stop, ready %.1f s after the start;"
            + " %d panels, %d outputs (%d redelivered)%n",
        notReadyAfter, readyAfter, PANELS, outputs.size(), outputs.size() - PANELS);
  }

  private long endOffsets(String topic) {
    try {
      return engine.endOffsets(topic);
    } catch (Exception e) {
      return 0;
    }
  }

  private static Set<String> keys(List<ConsumerRecord<String, byte[]>> records) {
    Set<String> keys = new HashSet<>();
    records.forEach(record -> keys.add(record.key()));
    return keys;
  }
}
