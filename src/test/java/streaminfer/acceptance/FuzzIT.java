package streaminfer.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import streaminfer.codec.AvroCodec;
import streaminfer.codec.WriterSchemas;
import streaminfer.family.DemoSource;
import streaminfer.family.FamilyModule;
import streaminfer.family.FamilyModules;
import streaminfer.v1.DialogueTurn;
import streaminfer.v1.Frame;
import streaminfer.v1.SceneObject;

/**
 * The fault suite's fuzzing: 100,000 random and mutated records across every input topic, with good
 * records between them, against the packaged engine at {@code -Xmx512m} that exits on an
 * OutOfMemoryError. Every input must come out once: as an output or as a dead letter with its
 * reason; the good records' outputs must be the bytes a clean run gives.
 */
@Tag("fault-suite")
class FuzzIT {
  private static final int GOOD_PER_FAMILY = 60;
  // 100,000 in all; fewer frames, each a 320x320 JPEG of about 25 KB.
  private static final Map<String, Integer> FUZZ =
      Map.of("dgex", 45_000, "ssd", 10_000, "guesswhat", 45_000);
  private static final List<String> FAMILIES = List.of("dgex", "ssd", "guesswhat");

  @TempDir Path dataDir;

  @Test
  void aHundredThousandHostileRecordsAreDeadLetteredWithReasonsAndTheGoodOnesServed()
      throws Exception {
    List<FamilyModule<?>> families =
        FamilyModules.discover().all().stream()
            .filter(module -> FAMILIES.contains(module.name()))
            .toList();
    Map<FamilyModule<?>, List<Map.Entry<String, byte[]>>> good = new LinkedHashMap<>();
    // Mutated from other demo records than the good ones: a mutant that still decodes must not
    // touch a good record's game or stream.
    Map<FamilyModule<?>, List<Map.Entry<String, byte[]>>> seeds = new LinkedHashMap<>();
    for (FamilyModule<?> family : families) {
      good.put(family, demoRecords(family, 0, GOOD_PER_FAMILY));
      seeds.put(family, demoRecords(family, 10_000, GOOD_PER_FAMILY));
    }
    try (EngineProcess engine =
        new EngineProcess(
            dataDir,
            families.stream().map(family -> family.input().defaultName()).toList(),
            List.of("--pipelines", String.join(",", FAMILIES)),
            Map.of("JAVA_TOOL_OPTIONS", "-Xmx512m -XX:+ExitOnOutOfMemoryError"))) {
      // A clean run of the good records first: what their outputs must be.
      Map<String, Set<String>> clean = new HashMap<>();
      for (FamilyModule<?> family : families) {
        engine.produce(family.input().defaultName(), good.get(family));
        clean.put(family.name(), answers(engine, family, GOOD_PER_FAMILY));
      }
      Random random = new Random(2026);
      Map<String, Integer> sent = new HashMap<>();
      for (FamilyModule<?> family : families) {
        int fuzz = FUZZ.get(family.name());
        int every = fuzz / GOOD_PER_FAMILY;
        List<Map.Entry<String, byte[]>> goods = good.get(family);
        List<Map.Entry<String, byte[]>> mutable = seeds.get(family);
        // The good records go between the hostile ones, one every `every`.
        int records =
            engine.produce(
                family.input().defaultName(),
                fuzz + GOOD_PER_FAMILY,
                n ->
                    n % (every + 1) == every
                        ? goods.get(n / (every + 1))
                        : Map.entry(
                            "fuzz-" + n,
                            hostile(
                                family.name(),
                                n,
                                mutable.get(random.nextInt(GOOD_PER_FAMILY)).getValue(),
                                random)));
        sent.put(family.name(), GOOD_PER_FAMILY + records);
      }
      List<String> report = new ArrayList<>();
      for (FamilyModule<?> family : families) {
        String input = family.input().defaultName();
        String output = family.outputs().get(0).defaultName();
        int total = sent.get(family.name());
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (engine.endOffsets(output) + engine.endOffsets(input + ".dlq") < total) {
          assertTrue(
              System.nanoTime() < deadline && engine.alive(),
              family.name()
                  + ": "
                  + engine.endOffsets(output)
                  + " outputs and "
                  + engine.endOffsets(input + ".dlq")
                  + " dead letters of "
                  + total
                  + " inputs; log: "
                  + engine.log());
          Thread.sleep(200);
        }
        long outputs = engine.endOffsets(output);
        long letters = engine.endOffsets(input + ".dlq");
        assertEquals(total, outputs + letters, family.name() + ": each input out exactly once");
        Map<String, Integer> reasons = new HashMap<>();
        engine.scan(
            input + ".dlq",
            letters,
            letter -> {
              assertNotNull(letter.headers().lastHeader("error.message"), "a dead letter's reason");
              reasons.merge(
                  new String(
                          letter.headers().lastHeader("error.class").value(),
                          StandardCharsets.UTF_8)
                      .replaceAll(".*\\.", ""),
                  1,
                  Integer::sum);
            });
        Set<String> served = answers(engine, family, outputs);
        assertTrue(
            served.containsAll(clean.get(family.name())),
            family.name() + ": the good records' outputs differ from a clean run's");
        report.add(
            String.format(
                "%s: %d inputs (%d good), %d outputs, %d dead letters by reason %s",
                family.name(), total, 2 * GOOD_PER_FAMILY, outputs, letters, reasons));
      }
      assertTrue(engine.alive(), "the engine died; log: " + engine.log());
      List<String> outOfMemory =
          Files.readAllLines(engine.log()).stream()
              .filter(line -> line.contains("java.lang.OutOfMemoryError"))
              .limit(5)
              .toList();
      assertTrue(outOfMemory.isEmpty(), "out of memory: " + outOfMemory);
      report.forEach(System.out::println);
    }
  }

  private static List<Map.Entry<String, byte[]>> demoRecords(
      FamilyModule<?> family, long from, int count) {
    try (DemoSource demo = family.demo(Path.of("models")).orElseThrow()) {
      List<Map.Entry<String, byte[]>> records = new ArrayList<>();
      for (long n = from; n < from + count; n++) {
        DemoSource.KeyedValue record = demo.next().apply(n);
        records.add(Map.entry(record.key(), record.value()));
      }
      return records;
    }
  }

  private static Set<String> answers(EngineProcess engine, FamilyModule<?> family, long count) {
    Set<String> answers = new HashSet<>();
    engine.scan(
        family.outputs().get(0).defaultName(),
        count,
        record -> answers.add(record.key() + "#" + Arrays.hashCode(record.value())));
    return answers;
  }

  /** One hostile record, of ten kinds, most of them built from a valid one of the family. */
  private static byte[] hostile(String family, int i, byte[] valid, Random random) {
    int header = AvroCodec.HEADER_BYTES;
    switch (i % 10) {
      case 0:
        {
          byte[] noise = new byte[random.nextInt(300)];
          random.nextBytes(noise);
          return noise;
        }
      case 1:
        {
          // A valid header, a random body.
          byte[] body = new byte[random.nextInt(300)];
          random.nextBytes(body);
          return concat(Arrays.copyOf(valid, header), body);
        }
      case 2:
        {
          byte[] flipped = valid.clone();
          for (int flips = 1 + random.nextInt(8); flips > 0; flips--) {
            int at = header + random.nextInt(flipped.length - header);
            flipped[at] ^= (byte) (1 << random.nextInt(8));
          }
          return flipped;
        }
      case 3:
        return Arrays.copyOf(valid, header + random.nextInt(valid.length - header));
      case 4:
      case 5:
        {
          // An absurd declared length (string, bytes, array or map count) where a field starts.
          int at = header + random.nextInt(Math.min(40, valid.length - header));
          byte[] length =
              zigZagVarint(random.nextBoolean() ? Integer.MAX_VALUE : Long.MAX_VALUE / 3);
          return concat(
              Arrays.copyOf(valid, at), length, Arrays.copyOfRange(valid, at, valid.length));
        }
      case 6:
        return concat(valid, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F});
      case 7:
        return family.equals("ssd")
            ? hugeFrame(valid)
            : family.equals("guesswhat") ? hugeScene(valid) : negativeLength(valid, header);
      case 8:
        return new byte[0];
      default:
        return negativeLength(valid, header);
    }
  }

  /** Width and height claiming 100,000 x 100,000, and a JPEG whose header says 65,500 square. */
  private static byte[] hugeFrame(byte[] valid) {
    AvroCodec<Frame> codec = AvroCodec.forType(Frame.class, WriterSchemas.v1());
    Frame frame = codec.decode(valid);
    byte[] image = new byte[frame.getData().remaining()];
    frame.getData().duplicate().get(image);
    for (int at = 2; at + 9 < image.length; at++) {
      // SOF0..SOF2: marker, length (2), precision (1), height (2), width (2).
      if ((image[at] & 0xFF) == 0xFF
          && (image[at + 1] & 0xFF) >= 0xC0
          && (image[at + 1] & 0xFF) <= 0xC2) {
        ByteBuffer.wrap(image, at + 5, 4).putShort((short) 65_500).putShort((short) 65_500);
        break;
      }
    }
    frame.setWidth(100_000);
    frame.setHeight(100_000);
    frame.setData(ByteBuffer.wrap(image));
    return codec.encode(frame);
  }

  /** The turn's scene repeated to 20,000 objects (about half a megabyte). */
  private static byte[] hugeScene(byte[] valid) {
    AvroCodec<DialogueTurn> codec = AvroCodec.forType(DialogueTurn.class, WriterSchemas.v1());
    DialogueTurn turn = codec.decode(valid);
    List<SceneObject> scene = new ArrayList<>();
    while (scene.size() < 20_000) {
      scene.addAll(turn.getScene());
    }
    turn.setScene(scene.subList(0, 20_000));
    return codec.encode(turn);
  }

  /** A negative length where the first field (a string) starts. */
  private static byte[] negativeLength(byte[] valid, int header) {
    return concat(
        Arrays.copyOf(valid, header),
        zigZagVarint(-5),
        Arrays.copyOfRange(valid, header + 1, valid.length));
  }

  private static byte[] zigZagVarint(long value) {
    long zigZag = (value << 1) ^ (value >> 63);
    byte[] out = new byte[10];
    int n = 0;
    while ((zigZag & ~0x7FL) != 0) {
      out[n++] = (byte) ((zigZag & 0x7F) | 0x80);
      zigZag >>>= 7;
    }
    out[n++] = (byte) zigZag;
    return Arrays.copyOf(out, n);
  }

  private static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    ByteBuffer buffer = ByteBuffer.allocate(length);
    for (byte[] part : parts) {
      buffer.put(part);
    }
    return buffer.array();
  }
}
