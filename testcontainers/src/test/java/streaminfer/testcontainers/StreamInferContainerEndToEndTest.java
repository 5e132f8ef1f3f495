package streaminfer.testcontainers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The engine's image beside a Kafka container, as a user's integration test would run it: a gene
 * panel in the wire contract's encoding goes in, its expression profile comes out. Where no Docker
 * engine answers or the image has not been built (the development machines have neither) it is
 * skipped, and {@link EngineImageAvailable} prints why; {@code -Dstreaminfer.image=...} tests
 * another image.
 */
@ExtendWith(EngineImageAvailable.class)
class StreamInferContainerEndToEndTest {
  private static final String KAFKA_IMAGE = "apache/kafka:4.0.0";

  /** The shipped D-GEX model's landmark and target genes (models/dgex/1/model.json). */
  private static final int LANDMARKS = 943;

  private static final int TARGETS = 9520;

  @Test
  void aGenePanelProducedToKafkaComesBackAsItsExpressionProfile() throws Exception {
    try (KafkaContainer kafka = new KafkaContainer(KAFKA_IMAGE);
        StreamInferContainer engine =
            new StreamInferContainer(EngineImageAvailable.image())
                .withKafka(kafka)
                .withConfigResource("dgex-only.yaml")
                .withPipelineOverride("dgex", "batch.maxDelayMillis", "1")) {
      engine.start();

      Schema panelSchema = schema("GenePanel.avsc");
      Schema expressionSchema = schema("GeneExpression.avsc");
      try (KafkaProducer<String, byte[]> producer = producer(kafka.getBootstrapServers())) {
        producer.send(new ProducerRecord<>("gene-panels", "sample-1", panel(panelSchema))).get();
      }

      GenericRecord expression =
          firstValue(kafka.getBootstrapServers(), "sample-1", expressionSchema);
      assertEquals("sample-1", expression.get("sampleId").toString());
      assertEquals(TARGETS, ((List<?>) expression.get("values")).size());
      assertTrue(
          metrics(engine).contains("streaminfer_records_out_total"),
          "the engine's metrics do not count its output");
    }
  }

  private static Schema schema(String file) throws Exception {
    return new Schema.Parser().parse(Path.of("../schemas", file).toFile());
  }

  /** Avro single-object encoding: C3 01, the schema's fingerprint, the binary body. */
  private static byte[] panel(Schema schema) {
    List<Float> values = new ArrayList<>();
    for (int i = 0; i < LANDMARKS; i++) {
      values.add(7.0f + (i % 10) * 0.1f);
    }
    GenericRecord panel = new GenericData.Record(schema);
    panel.put("sampleId", "sample-1");
    panel.put("values", values);
    try {
      ByteBuffer encoded =
          new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(panel);
      byte[] bytes = new byte[encoded.remaining()];
      encoded.get(bytes);
      return bytes;
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KafkaProducer<String, byte[]> producer(String bootstrap) {
    return new KafkaProducer<>(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
        new StringSerializer(),
        new ByteArraySerializer());
  }

  private static GenericRecord firstValue(String bootstrap, String key, Schema schema)
      throws Exception {
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "end-to-end-reader");
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    BinaryMessageDecoder<GenericRecord> decoder =
        new BinaryMessageDecoder<>(GenericData.get(), schema);
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of("gene-expression"));
      Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
      while (Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          if (key.equals(record.key())) {
            return decoder.decode(record.value());
          }
        }
      }
    }
    throw new AssertionError("no output for " + key + " on gene-expression within 60 s");
  }

  private static String metrics(StreamInferContainer engine) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(engine.getMetricsUrl())).build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    return response.body();
  }
}
