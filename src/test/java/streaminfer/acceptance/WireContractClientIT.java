package streaminfer.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bar, as an outside client sees it: it knows only the wire contract (the .avsc files,
 * Avro's own single-object encoder, the topic names) and the shipped model file. It runs the
 * packaged jar with {@code serve --bootstrap} against a broker the engine did not start, sends
 * 5,000 panels and 100 bad records, and checks every output against its own ORT run.
 */
class WireContractClientIT {
  private static final int GOOD = 5_000;
  private static final int BAD = 100;
  private static final Path MODEL = Path.of("models/dgex/1/model.onnx");

  @TempDir Path dataDir;
  private EngineProcess engine;

  @BeforeEach
  void startBrokerAndEngine() throws Exception {
    engine =
        new EngineProcess(
            dataDir, List.of("gene-panels"), List.of(), Map.of("STREAMINFER_LOG_FORMAT", "json"));
  }

  @AfterEach
  void stop() throws Exception {
    engine.close();
  }

  @Test
  void aWireContractClientGetsEveryOutputAndEveryBadRecordDeadLettered() throws Exception {
    Schema panelSchema = parse("schemas/GenePanel.avsc");
    Schema expressionSchema = parse("schemas/GeneExpression.avsc");
    BinaryMessageEncoder<GenericRecord> encoder =
        new BinaryMessageEncoder<>(GenericData.get(), panelSchema);
    Random random = new Random(2024);

    Map<String, float[]> panels = new HashMap<>();
    List<Map.Entry<String, byte[]>> records = new ArrayList<>();
    for (int i = 0; i < GOOD; i++) {
      float[] values = randomPanel(random, 943);
      panels.put("good-" + i, values);
      records.add(Map.entry("good-" + i, encode(encoder, panelSchema, "good-" + i, values)));
    }
    List<String> badKeys = new ArrayList<>();
    for (int i = 0; i < BAD; i++) {
      String key = "bad-" + i;
      badKeys.add(key);
      // SimpleEntry: a tombstone (null value) is one of the bad records.
      records.add(new AbstractMap.SimpleEntry<>(key, badRecord(i, random, encoder, panelSchema)));
    }
    Collections.shuffle(records, random);
    engine.produce("gene-panels", records);

    List<ConsumerRecord<String, byte[]>> outputs = engine.consume("gene-expression", GOOD);
    List<ConsumerRecord<String, byte[]>> letters = engine.consume("gene-panels.dlq", BAD);

    assertEquals(GOOD, outputs.size(), "one output per panel, nothing else");
    assertEquals(BAD, letters.size(), "one dead letter per bad record, nothing else");
    Set<String> letterKeys = new HashSet<>();
    for (ConsumerRecord<String, byte[]> letter : letters) {
      letterKeys.add(letter.key());
      for (String header :
          List.of(
              "error.class",
              "error.message",
              "source.topic",
              "source.partition",
              "source.offset")) {
        assertNotNull(letter.headers().lastHeader(header), letter.key() + " lacks " + header);
      }
      assertEquals(
          "gene-panels",
          new String(letter.headers().lastHeader("source.topic").value(), StandardCharsets.UTF_8));
    }
    assertEquals(new HashSet<>(badKeys), letterKeys);

    BinaryMessageDecoder<GenericRecord> decoder =
        new BinaryMessageDecoder<>(GenericData.get(), expressionSchema);
    Map<String, float[]> expected = ownOrtRun(panels);
    Set<String> outputKeys = new HashSet<>();
    for (ConsumerRecord<String, byte[]> output : outputs) {
      outputKeys.add(output.key());
      GenericRecord expression = decoder.decode(output.value());
      assertEquals(output.key(), expression.get("sampleId").toString());
      @SuppressWarnings("unchecked")
      List<Float> values = (List<Float>) expression.get("values");
      float[] mine = expected.get(output.key());
      assertEquals(mine.length, values.size());
      for (int g = 0; g < mine.length; g++) {
        assertTrue(
            Math.abs(mine[g] - values.get(g)) <= 1e-4 + 1e-5 * Math.abs(mine[g]),
            output.key() + " gene " + g + ": client " + mine[g] + ", engine " + values.get(g));
      }
    }
    assertEquals(panels.keySet(), outputKeys);
    String metrics = engine.scrape("/metrics");
    assertTrue(
        metrics.contains("streaminfer_records_out_total{pipeline=\"dgex\"} 5000.0"), metrics);
    // The process's and the Kafka clients' own meters, and the consumer's rebalances.
    for (String meter :
        List.of(
            "jvm_gc_pause_seconds",
            "jvm_threads_live_threads",
            "process_cpu_usage",
            "process_uptime_seconds",
            "kafka_consumer_fetch_manager_records_consumed_total{",
            "kafka_producer_record_send_total{",
            "streaminfer_rebalances_total{event=\"assigned\",pipeline=\"dgex\"}")) {
      assertTrue(metrics.contains(meter), meter + " missing from " + metrics);
    }

    // JSON logs, with the pipeline in each event's context.
    boolean pipelineEvent = false;
    for (String line : Files.readAllLines(engine.log())) {
      if (line.startsWith("{") && line.contains("consumes gene-panels")) {
        JsonNode event = new ObjectMapper().readTree(line);
        assertEquals("INFO", event.path("level").asText(), line);
        assertEquals("dgex", event.path("contextMap").path("pipeline").asText(), line);
        pipelineEvent = true;
      }
    }
    assertTrue(pipelineEvent, "no JSON log event of the pipeline in " + engine.log());

    // 143 = 128 + SIGTERM: the JVM's status after its shutdown hooks ran.
    assertEquals(143, engine.terminate(), Files.readString(engine.log()));
    assertTrue(Files.readString(engine.log()).contains("drained"), Files.readString(engine.log()));
    assertEquals(GOOD + BAD, engine.committedOffsets("streaminfer-dgex"), "every record committed");
  }

  @Test
  void losesNothingWhenTheEngineIsKilledMidStreamAndStartedAgain() throws Exception {
    Schema panelSchema = parse("schemas/GenePanel.avsc");
    BinaryMessageEncoder<GenericRecord> encoder =
        new BinaryMessageEncoder<>(GenericData.get(), panelSchema);
    Random random = new Random(99);
    List<Map.Entry<String, byte[]>> records = new ArrayList<>();
    Set<String> sent = new HashSet<>();
    for (int i = 0; i < 20_000; i++) {
      String key = "k-" + i;
      sent.add(key);
      records.add(Map.entry(key, encode(encoder, panelSchema, key, randomPanel(random, 943))));
    }
    engine.produce("gene-panels", records);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
    while (engine.endOffsets("gene-expression") == 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    engine.kill();
    long beforeRestart = engine.endOffsets("gene-expression");
    assertTrue(
        beforeRestart > 0 && beforeRestart < sent.size(),
        "killed mid-stream: " + beforeRestart + " of " + sent.size() + " outputs");
    engine.start();
    assertEquals(
        sent,
        engine.consumeDistinctKeys("gene-expression", sent.size()),
        "every panel has an output after a crash and a restart");
  }

  /** Ten kinds of bad record, ten of each. */
  private static byte[] badRecord(
      int i, Random random, BinaryMessageEncoder<GenericRecord> encoder, Schema schema)
      throws Exception {
    byte[] valid = encode(encoder, schema, "bad-" + i, randomPanel(random, 943));
    switch (i % 10) {
      case 0:
        return "{\"sampleId\": \"json is not the contract\"}".getBytes(StandardCharsets.UTF_8);
      case 1:
        return new byte[0];
      case 2:
        return null;
      case 3:
        byte[] badMagic = valid.clone();
        badMagic[0] = 0x00;
        return badMagic;
      case 4:
        byte[] unknownWriter = valid.clone();
        ByteBuffer.wrap(unknownWriter, 2, 8)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putLong(random.nextLong());
        return unknownWriter;
      case 5:
        return Arrays.copyOf(valid, valid.length / 2);
      case 6:
        return encode(encoder, schema, "bad-" + i, randomPanel(random, 942));
      case 7:
        float[] nan = randomPanel(random, 943);
        nan[random.nextInt(943)] = Float.NaN;
        return encode(encoder, schema, "bad-" + i, nan);
      case 8:
        float[] infinite = randomPanel(random, 943);
        infinite[random.nextInt(943)] = Float.NEGATIVE_INFINITY;
        return encode(encoder, schema, "bad-" + i, infinite);
      default:
        byte[] noise = new byte[64];
        random.nextBytes(noise);
        noise[0] = (byte) 0xC3;
        noise[1] = 0x01;
        return noise;
    }
  }

  private static byte[] encode(
      BinaryMessageEncoder<GenericRecord> encoder, Schema schema, String id, float[] values)
      throws Exception {
    GenericRecord panel = new GenericData.Record(schema);
    panel.put("sampleId", id);
    List<Float> list = new ArrayList<>(values.length);
    for (float value : values) {
      list.add(value);
    }
    panel.put("values", list);
    ByteBuffer buffer = encoder.encode(panel);
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }

  /** Log2-scale expression like the model's landmarks: 2..14. */
  private static float[] randomPanel(Random random, int genes) {
    float[] values = new float[genes];
    for (int g = 0; g < genes; g++) {
      values[g] = (float) (8 + 2 * random.nextGaussian());
    }
    return values;
  }

  private Map<String, float[]> ownOrtRun(Map<String, float[]> panels) throws Exception {
    Map<String, float[]> results = new HashMap<>();
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    try (OrtSession session =
        environment.createSession(MODEL.toString(), new OrtSession.SessionOptions())) {
      for (Map.Entry<String, float[]> panel : panels.entrySet()) {
        try (OnnxTensor input =
                OnnxTensor.createTensor(
                    environment, FloatBuffer.wrap(panel.getValue()), new long[] {1, 943});
            OrtSession.Result result = session.run(Map.of("landmarks", input))) {
          results.put(panel.getKey(), ((float[][]) result.get(0).getValue())[0]);
        }
      }
    }
    return results;
  }

  private static Schema parse(String file) throws Exception {
    return new Schema.Parser().parse(new File(file));
  }
}
