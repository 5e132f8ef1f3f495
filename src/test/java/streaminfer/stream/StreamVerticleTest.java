package streaminfer.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import streaminfer.broker.BrokerConfig;
import streaminfer.broker.EmbeddedKafkaBroker;
import streaminfer.broker.Topics;

/** The stream layer on a real broker, with processors that finish late and out of order. */
class StreamVerticleTest {
  @TempDir Path dataDir;
  private EmbeddedKafkaBroker broker;
  private final Vertx vertx = Vertx.vertx();

  @BeforeEach
  void startBroker() {
    broker = EmbeddedKafkaBroker.start(BrokerConfig.defaults(dataDir));
    Topics.ensure(broker.bootstrapServers(), List.of("in", "out", "in.dlq"), 2);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    broker.close();
  }

  @Test
  void pausesTheConsumerAtMaxInFlightRecordsAndResumesAsTheyAreAcknowledged() throws Exception {
    List<CompletableFuture<byte[]>> held = new CopyOnWriteArrayList<>();
    AtomicBoolean released = new AtomicBoolean();
    produce(200);
    deploy(
        StreamConfig.of(broker.bootstrapServers(), "g", "in", "out").withMaxInFlightRecords(10),
        (partition, key, value) -> {
          if (released.get()) {
            return CompletableFuture.completedFuture(value);
          }
          CompletableFuture<byte[]> result = new CompletableFuture<>();
          held.add(result);
          return result;
        });
    await(() -> held.size() >= 10);
    // A bounded wait for a negative: give the consumer every chance to overrun the bound.
    Thread.sleep(1_000);
    assertEquals(10, held.size(), "records handed out beyond maxInFlightRecords");
    released.set(true);
    held.forEach(result -> result.complete(new byte[] {1}));
    assertEquals(200, read("out", 200).size());
  }

  @Test
  void producesEachPartitionsOutputsInInputOrderWhateverOrderTheyFinishIn() throws Exception {
    List<String> sent = produce(400);
    Random random = new Random(7);
    AtomicInteger pending = new AtomicInteger();
    deploy(
        StreamConfig.of(broker.bootstrapServers(), "g", "in", "out"),
        (partition, key, value) -> {
          pending.incrementAndGet();
          // Finish after a random delay, so completions interleave out of input order.
          return CompletableFuture.supplyAsync(
              () -> value,
              CompletableFuture.delayedExecutor(random.nextInt(30), TimeUnit.MILLISECONDS));
        });
    List<ConsumerRecord<String, byte[]>> outputs = read("out", sent.size());
    Map<String, List<Integer>> sequenceByKey = new HashMap<>();
    for (ConsumerRecord<String, byte[]> output : outputs) {
      String[] parts = new String(output.value(), StandardCharsets.UTF_8).split(":");
      sequenceByKey
          .computeIfAbsent(output.key(), k -> new ArrayList<>())
          .add(Integer.parseInt(parts[1]));
    }
    assertEquals(8, sequenceByKey.size());
    sequenceByKey.forEach(
        (key, sequence) -> {
          List<Integer> sorted = new ArrayList<>(sequence);
          Collections.sort(sorted);
          assertEquals(sorted, sequence, "outputs of " + key + " out of input order");
        });
    assertTrue(pending.get() >= sent.size());
  }

  @Test
  void skipsRecordsCompletedWithoutOutputAndCommitsPastThem() throws Exception {
    List<String> sent = produce(100);
    deploy(
        StreamConfig.of(broker.bootstrapServers(), "g", "in", "out"),
        (partition, key, value) -> {
          int sequence = Integer.parseInt(new String(value, StandardCharsets.UTF_8).split(":")[1]);
          return CompletableFuture.completedFuture(sequence % 2 == 0 ? value : null);
        });
    assertEquals(50, read("out", 50).size());
    await(() -> committed("g") == sent.size());
  }

  private long committed(String group) {
    try (org.apache.kafka.clients.admin.Admin admin =
        org.apache.kafka.clients.admin.Admin.create(
            Map.of(
                org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()))) {
      return admin
          .listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata()
          .get()
          .values()
          .stream()
          .mapToLong(offset -> offset.offset())
          .sum();
    } catch (Exception e) {
      return -1;
    }
  }

  private void deploy(StreamConfig config, RecordProcessor processor) throws Exception {
    vertx
        .deployVerticle(new StreamVerticle(config, processor, StreamMetrics.NONE))
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  /** Records keyed by 8 keys, valued {@code key:sequence}; returns the values in send order. */
  private List<String> produce(int count) {
    List<String> values = new ArrayList<>();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
            new StringSerializer(),
            new ByteArraySerializer())) {
      for (int i = 0; i < count; i++) {
        String key = "k" + (i % 8);
        String value = key + ":" + i;
        values.add(value);
        producer.send(new ProducerRecord<>("in", key, value.getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush();
    }
    return values;
  }

  private List<ConsumerRecord<String, byte[]>> read(String topic, int count) {
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (records.size() < count && System.nanoTime() < end) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  private static void await(java.util.function.BooleanSupplier condition) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("condition not met within 60 s");
      }
      Thread.sleep(10);
    }
  }
}
