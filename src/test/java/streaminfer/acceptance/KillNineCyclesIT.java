package streaminfer.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import streaminfer.family.DemoSource;
import streaminfer.family.FamilyModule;
import streaminfer.family.FamilyModules;
import streaminfer.stream.Delivery;

/**
 * The fault suite's crash cycles: every family busy at once on the packaged engine, which is
 * SIGKILLed at a random moment five times and started again. Each family's demo records answer one
 * output each, and every output names its input (sample id, stream and sequence, game), so a (key,
 * bytes) pair is one input's answer.
 */
@Tag("fault-suite")
class KillNineCyclesIT {
  private static final int CYCLES = 5;
  // Records per family per cycle: about two seconds of work each on two cores.
  private static final Map<String, Integer> PER_CYCLE =
      Map.of("dgex", 300, "ssd", 24, "guesswhat", 12);

  @TempDir Path dataDir;

  @ParameterizedTest
  @EnumSource(Delivery.class)
  void everyInputIsAnsweredAfterFiveKillsAndExactlyOnceWhereThatIsPromised(Delivery delivery)
      throws Exception {
    List<FamilyModule<?>> families =
        FamilyModules.discover().all().stream()
            .filter(module -> PER_CYCLE.containsKey(module.name()))
            .toList();
    assertEquals(PER_CYCLE.keySet().size(), families.size(), "families served: " + families);
    Map<String, DemoSource> sources = new LinkedHashMap<>();
    for (FamilyModule<?> family : families) {
      sources.put(family.name(), family.demo(Path.of("models")).orElseThrow());
    }
    Random random = new Random(delivery.ordinal() + 7);
    int sent = 0;
    List<String> cycles = new ArrayList<>();
    try (EngineProcess engine =
        new EngineProcess(
            dataDir,
            families.stream().map(family -> family.input().defaultName()).toList(),
            List.of("--pipelines", String.join(",", PER_CYCLE.keySet())),
            Map.of(
                "STREAMINFER__DEFAULTS__DELIVERY",
                delivery.configName(),
                // Restarts are what is tested here, not a warm first batch.
                "STREAMINFER__DEFAULTS__WARMUP__RUNS",
                "0",
                // A killed instance's transaction is aborted this long after it started.
                "STREAMINFER__KAFKA__TRANSACTION_TIMEOUT_MS",
                "3000"))) {
      long produced = 0;
      for (int cycle = 1; cycle <= CYCLES; cycle++) {
        for (FamilyModule<?> family : families) {
          List<Map.Entry<String, byte[]>> records = new ArrayList<>();
          for (int i = 0; i < PER_CYCLE.get(family.name()); i++) {
            DemoSource.KeyedValue record = sources.get(family.name()).next().apply(produced + i);
            records.add(Map.entry(record.key(), record.value()));
          }
          sent += records.size();
          engine.produce(family.input().defaultName(), records);
        }
        produced += PER_CYCLE.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        long outputsBefore = outputs(engine, families);
        // Killed while busy: once it has answered since its (re)start, after a random moment.
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (outputs(engine, families) == outputsBefore && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        Thread.sleep(200 + random.nextInt(1_500));
        engine.kill();
        cycles.add(
            String.format(
                "cycle %d (%s): killed with %d inputs sent, %d input offsets committed, output"
                    + " topics at %d (uncommitted and aborted records included)",
                cycle,
                delivery.configName(),
                sent,
                committed(engine, families),
                outputs(engine, families)));
        engine.start();
      }
      String isolation = delivery == Delivery.EXACTLY_ONCE ? "read_committed" : "read_uncommitted";
      List<String> report = new ArrayList<>(cycles);
      for (FamilyModule<?> family : families) {
        String topic = family.outputs().get(0).defaultName();
        int inputs = PER_CYCLE.get(family.name()) * CYCLES;
        List<ConsumerRecord<String, byte[]>> outputs =
            engine.consumeUntil(
                topic,
                isolation,
                read -> distinctAnswers(read).size() >= inputs,
                "waiting for " + inputs + " distinct answers");
        int duplicates = outputs.size() - distinctAnswers(outputs).size();
        report.add(
            String.format(
                "%s (%s): %d inputs, %d outputs, %d duplicates",
                family.name(), delivery.configName(), inputs, outputs.size(), duplicates));
        // Each input's answer differs from every other's: more distinct answers than inputs
        // would mean a redelivered input was answered differently.
        assertEquals(
            inputs,
            distinctAnswers(outputs).size(),
            family.name() + ": one distinct answer per input, duplicates byte-identical");
        if (delivery == Delivery.EXACTLY_ONCE) {
          assertEquals(inputs, outputs.size(), family.name() + ": no input answered twice");
        }
        assertTrue(
            engine.endOffsets(family.input().defaultName() + ".dlq") == 0,
            family.name() + ": demo records dead-lettered; log: " + engine.log());
      }
      report.forEach(System.out::println);
    } finally {
      sources.values().forEach(DemoSource::close);
    }
  }

  private static long outputs(EngineProcess engine, List<FamilyModule<?>> families)
      throws Exception {
    long total = 0;
    for (FamilyModule<?> family : families) {
      total += engine.endOffsets(family.outputs().get(0).defaultName());
    }
    return total;
  }

  private static long committed(EngineProcess engine, List<FamilyModule<?>> families)
      throws Exception {
    long total = 0;
    for (FamilyModule<?> family : families) {
      total += engine.committedOffsets("streaminfer-" + family.name());
    }
    return total;
  }

  private static Set<String> distinctAnswers(List<ConsumerRecord<String, byte[]>> records) {
    Set<String> answers = new HashSet<>();
    records.forEach(record -> answers.add(record.key() + "#" + digest(record.value())));
    return answers;
  }

  private static String digest(byte[] value) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
