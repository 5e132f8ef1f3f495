package streaminfer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import streaminfer.broker.KafkaBroker;
import streaminfer.codec.AvroCodec;
import streaminfer.codec.Floats;
import streaminfer.codec.WriterSchemas;
import streaminfer.config.ConfigBuilder;
import streaminfer.config.EngineSettings;
import streaminfer.family.dgex.SyntheticPanels;
import streaminfer.runtime.DevicePolicy;
import streaminfer.runtime.ModelRepository;
import streaminfer.runtime.ModelSession;
import streaminfer.runtime.SessionTuning;
import streaminfer.runtime.Tensor;
import streaminfer.stream.DeadLetters;
import streaminfer.v1.GeneExpression;
import streaminfer.v1.GenePanel;

/** The engine end to end on a real embedded KRaft broker with the shipped D-GEX model. */
class EngineIntegrationTest {
  private static final Path MODELS = Path.of("models");
  private static final Duration DEADLINE = Duration.ofSeconds(180);

  @RegisterExtension final KafkaBroker broker = new KafkaBroker();
  private final WriterSchemas schemas = WriterSchemas.v1();
  private final AvroCodec<GenePanel> panels = AvroCodec.forType(GenePanel.class, schemas);
  private final AvroCodec<GeneExpression> expressions =
      AvroCodec.forType(GeneExpression.class, schemas);

  private EngineSettings config() {
    return ConfigBuilder.of(broker.bootstrapServers(), MODELS).pipeline("dgex").build();
  }

  @Test
  void servesTenThousandPanelsWithTheirKeysAndTheValuesOfADirectOrtRun() throws Exception {
    Map<String, GenePanel> sent = synthetic(10_000, "p");
    produce(sent);
    List<ConsumerRecord<String, byte[]>> outputs;
    try (Engine engine = Engine.start(config())) {
      outputs = awaitDistinctKeys("gene-expression", sent.size());
    }
    assertEquals(sent.size(), outputs.size(), "every panel has exactly one output");
    Map<String, float[]> expected = directRun(sent);
    for (ConsumerRecord<String, byte[]> record : outputs) {
      GeneExpression expression = expressions.decode(record.value());
      assertEquals(record.key(), expression.getSampleId(), "output keyed like its input");
      assertClose(expected.get(record.key()), Floats.toArray(expression.getValues()), record.key());
    }
  }

  @Test
  void deadLettersMalformedRecordsWithTheReasonAndKeepsServing() throws Exception {
    Map<String, GenePanel> good = synthetic(200, "good");
    List<Map.Entry<String, byte[]>> records = new ArrayList<>();
    records.add(Map.entry("garbage", "not avro".getBytes(StandardCharsets.UTF_8)));
    records.add(
        Map.entry(
            "short",
            panels.encode(
                GenePanel.newBuilder()
                    .setSampleId("short")
                    .setValues(Floats.view(new float[] {1, 2, 3}))
                    .build())));
    float[] withNan = Floats.toArray(good.values().iterator().next().getValues());
    withNan[5] = Float.NaN;
    records.add(
        Map.entry(
            "nan",
            panels.encode(
                GenePanel.newBuilder()
                    .setSampleId("nan")
                    .setValues(Floats.view(withNan))
                    .build())));
    good.forEach((key, panel) -> records.add(Map.entry(key, panels.encode(panel))));
    KafkaTestClients.produce(broker.bootstrapServers(), "gene-panels", records);

    try (Engine engine = Engine.start(config())) {
      List<ConsumerRecord<String, byte[]>> letters =
          KafkaTestClients.consumeUntil(
              broker.bootstrapServers(), "gene-panels.dlq", DEADLINE, r -> r.size() >= 3);
      List<ConsumerRecord<String, byte[]>> outputs =
          awaitDistinctKeys("gene-expression", good.size());
      assertEquals(good.keySet(), keys(outputs));
      Map<String, ConsumerRecord<String, byte[]>> byKey = new HashMap<>();
      letters.forEach(letter -> byKey.put(letter.key(), letter));
      assertEquals(Set.of("garbage", "short", "nan"), byKey.keySet());
      assertEquals("not avro", new String(byKey.get("garbage").value(), StandardCharsets.UTF_8));
      assertTrue(header(byKey.get("garbage"), DeadLetters.ERROR_CLASS).endsWith("CodecException"));
      assertTrue(
          header(byKey.get("short"), DeadLetters.ERROR_MESSAGE).contains("3 landmark values"));
      assertTrue(header(byKey.get("nan"), DeadLetters.ERROR_MESSAGE).contains("non-finite"));
      for (ConsumerRecord<String, byte[]> letter : letters) {
        assertEquals("gene-panels", header(letter, DeadLetters.SOURCE_TOPIC));
        assertTrue(Long.parseLong(header(letter, DeadLetters.SOURCE_OFFSET)) >= 0);
        assertTrue(Integer.parseInt(header(letter, DeadLetters.SOURCE_PARTITION)) >= 0);
      }
    }
  }

  @Test
  void losesNothingWhenStoppedAndRestartedMidStream() throws Exception {
    Map<String, GenePanel> sent = synthetic(4_000, "r");
    produce(sent);
    try (Engine first = Engine.start(config())) {
      KafkaTestClients.consumeUntil(
          broker.bootstrapServers(), "gene-expression", DEADLINE, r -> r.size() >= 500);
    }
    List<ConsumerRecord<String, byte[]>> afterFirst =
        KafkaTestClients.consumeUntil(
            broker.bootstrapServers(), "gene-expression", Duration.ofSeconds(2), r -> true);
    assertTrue(afterFirst.size() < sent.size(), "the first engine should stop mid-stream");
    try (Engine second = Engine.start(config())) {
      List<ConsumerRecord<String, byte[]>> outputs =
          awaitDistinctKeys("gene-expression", sent.size());
      assertEquals(sent.keySet(), keys(outputs));
    }
  }

  private Map<String, GenePanel> synthetic(int count, String prefix) {
    Path version = new ModelRepository(MODELS).versionDirectory("dgex", OptionalInt.empty());
    SyntheticPanels generator = SyntheticPanels.fromGolden(version, count);
    Map<String, GenePanel> panelsByKey = new java.util.LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      String key = prefix + "-" + i;
      panelsByKey.put(key, generator.next(key));
    }
    return panelsByKey;
  }

  private void produce(Map<String, GenePanel> sent) {
    List<Map.Entry<String, byte[]>> records = new ArrayList<>();
    sent.forEach((key, panel) -> records.add(Map.entry(key, panels.encode(panel))));
    KafkaTestClients.produce(broker.bootstrapServers(), "gene-panels", records);
  }

  private List<ConsumerRecord<String, byte[]>> awaitDistinctKeys(String topic, int count) {
    List<ConsumerRecord<String, byte[]>> records =
        KafkaTestClients.consumeUntil(
            broker.bootstrapServers(), topic, DEADLINE, r -> keys(r).size() >= count);
    // Keep the first output per key: at-least-once may repeat a record after a restart.
    Map<String, ConsumerRecord<String, byte[]>> first = new java.util.LinkedHashMap<>();
    records.forEach(record -> first.putIfAbsent(record.key(), record));
    return new ArrayList<>(first.values());
  }

  private Map<String, float[]> directRun(Map<String, GenePanel> sent) {
    Map<String, float[]> outputs = new HashMap<>();
    try (ModelSession session =
        new ModelRepository(MODELS)
            .open("dgex", OptionalInt.empty(), DevicePolicy.CPU, SessionTuning.defaults())) {
      String input = session.metadata().inputs().get(0).name();
      String output = session.metadata().outputs().get(0).name();
      for (Map.Entry<String, GenePanel> entry : sent.entrySet()) {
        float[] row = Floats.toArray(entry.getValue().getValues());
        outputs.put(
            entry.getKey(),
            session.runRows(List.of(Map.of(input, Tensor.of(row)))).get(0).get(output).floats());
      }
    }
    return outputs;
  }

  private static void assertClose(float[] expected, float[] actual, String key) {
    assertEquals(expected.length, actual.length, key);
    for (int i = 0; i < expected.length; i++) {
      // Batched and single-row GEMMs may round differently in the last bits.
      assertTrue(
          Math.abs(expected[i] - actual[i]) <= 1e-4 + 1e-5 * Math.abs(expected[i]),
          key + " gene " + i + ": direct " + expected[i] + ", engine " + actual[i]);
    }
  }

  private static Set<String> keys(List<ConsumerRecord<String, byte[]>> records) {
    Set<String> keys = new HashSet<>();
    records.forEach(record -> keys.add(record.key()));
    return keys;
  }

  private static String header(ConsumerRecord<String, byte[]> record, String key) {
    Header header = record.headers().lastHeader(key);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
