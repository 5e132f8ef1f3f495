package streaminfer.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import streaminfer.broker.BrokerConfig;
import streaminfer.broker.EmbeddedKafkaBroker;

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
  private static final Duration DEADLINE = Duration.ofMinutes(4);

  @TempDir Path dataDir;
  private EmbeddedKafkaBroker broker;
  private Process engine;
  private Path engineLog;

  @BeforeEach
  void startBrokerAndEngine() throws Exception {
    broker = EmbeddedKafkaBroker.start(BrokerConfig.defaults(dataDir.resolve("kafka")));
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      admin
          .createTopics(List.of(new NewTopic("gene-panels", 3, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    engine = startEngine();
  }

  private Process startEngine() throws Exception {
    engineLog = dataDir.resolve("engine-" + System.nanoTime() + ".log");
    return new ProcessBuilder(
            javaBinary(),
            "-jar",
            "target/streaminfer.jar",
            "serve",
            "--bootstrap",
            broker.bootstrapServers(),
            "--device",
            "cpu",
            "--http-port",
            "18765")
        .redirectErrorStream(true)
        .redirectOutput(engineLog.toFile())
        .start();
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
    produce(records);
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (outputCount() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    engine.destroyForcibly();
    assertTrue(engine.waitFor(30, TimeUnit.SECONDS));
    long beforeRestart = outputCount();
    assertTrue(
        beforeRestart > 0 && beforeRestart < sent.size(),
        "killed mid-stream: " + beforeRestart + " of " + sent.size() + " outputs");
    engine = startEngine();
    List<ConsumerRecord<String, byte[]>> outputs = consumeDistinct("gene-expression", sent.size());
    Set<String> keys = new HashSet<>();
    outputs.forEach(output -> keys.add(output.key()));
    assertEquals(sent, keys, "every panel has an output after a crash and a restart");
  }

  @AfterEach
  void stop() throws Exception {
    if (engine.isAlive()) {
      engine.destroy();
      engine.waitFor(60, TimeUnit.SECONDS);
    }
    broker.close();
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
    java.util.Collections.shuffle(records, random);
    produce(records);

    List<ConsumerRecord<String, byte[]>> outputs = consume("gene-expression", GOOD);
    List<ConsumerRecord<String, byte[]>> letters = consume("gene-panels.dlq", BAD);

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
    String metrics = scrape("/metrics");
    assertTrue(
        metrics.contains("streaminfer_records_out_total{pipeline=\"dgex\"} 5000.0"), metrics);

    engine.destroy();
    assertTrue(engine.waitFor(60, TimeUnit.SECONDS), "SIGTERM drains and exits");
    // 143 = 128 + SIGTERM: the JVM's status after its shutdown hooks ran.
    assertEquals(143, engine.exitValue(), Files.readString(engineLog));
    assertTrue(Files.readString(engineLog).contains("drained"), Files.readString(engineLog));
    assertEquals(GOOD + BAD, committedOffsets("streaminfer-dgex"), "every record committed");
  }

  private long outputCount() throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < 3; p++) {
        latest.put(new TopicPartition("gene-expression", p), OffsetSpec.latest());
      }
      return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
          .mapToLong(info -> info.offset())
          .sum();
    } catch (java.util.concurrent.ExecutionException e) {
      return 0; // the engine has not created the output topic yet
    }
  }

  private long committedOffsets(String group) throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      return admin
          .listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata()
          .get(30, TimeUnit.SECONDS)
          .values()
          .stream()
          .mapToLong(offset -> offset.offset())
          .sum();
    }
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

  private void produce(List<Map.Entry<String, byte[]>> records) {
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
            new StringSerializer(),
            new ByteArraySerializer())) {
      records.forEach(
          r -> producer.send(new ProducerRecord<>("gene-panels", r.getKey(), r.getValue())));
      producer.flush();
    }
  }

  /** Reads until {@code count} records arrived, then a few quiet seconds more: nothing else. */
  private List<ConsumerRecord<String, byte[]>> consume(String topic, int count) {
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "client-" + topic,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long end = System.nanoTime() + DEADLINE.toNanos();
      while (records.size() < count) {
        if (System.nanoTime() > end || !engine.isAlive()) {
          throw new AssertionError(
              topic
                  + ": "
                  + records.size()
                  + " of "
                  + count
                  + " records; engine log: "
                  + engineLog);
        }
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      long quietUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
      while (System.nanoTime() < quietUntil) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  /** Reads until {@code count} distinct keys arrived; repeats are allowed (at least once). */
  private List<ConsumerRecord<String, byte[]>> consumeDistinct(String topic, int count) {
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "distinct-" + topic,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long end = System.nanoTime() + DEADLINE.toNanos();
      while (keys.size() < count) {
        if (System.nanoTime() > end || !engine.isAlive()) {
          throw new AssertionError(
              topic + ": " + keys.size() + " of " + count + " keys; engine log: " + engineLog);
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          records.add(record);
          keys.add(record.key());
        }
      }
    }
    return records;
  }

  private static String scrape(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://localhost:18765" + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static Schema parse(String file) throws Exception {
    return new Schema.Parser().parse(new File(file));
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
