package streaminfer.acceptance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
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
import streaminfer.broker.BrokerConfig;
import streaminfer.broker.EmbeddedKafkaBroker;

/**
 * What an outside client has: a broker the engine did not start, the packaged jar run as a separate
 * process with {@code serve --bootstrap}, and plain Kafka clients.
 */
final class EngineProcess implements AutoCloseable {
  static final int HTTP_PORT = 18765;
  static final int PARTITIONS = 3;
  private static final Duration DEADLINE = Duration.ofMinutes(4);

  private final Path dataDir;
  private final List<String> serveArguments;
  private final EmbeddedKafkaBroker broker;
  private Process engine;
  private Path log;

  /**
   * Starts the broker, creates {@code inputTopic} as a client's operator would, then the engine.
   */
  EngineProcess(Path dataDir, String inputTopic, List<String> serveArguments) throws Exception {
    this.dataDir = dataDir;
    this.serveArguments = List.copyOf(serveArguments);
    this.broker = EmbeddedKafkaBroker.start(BrokerConfig.defaults(dataDir.resolve("kafka")));
    try (Admin admin = admin()) {
      admin
          .createTopics(List.of(new NewTopic(inputTopic, PARTITIONS, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    start();
  }

  void start() throws Exception {
    log = dataDir.resolve("engine-" + System.nanoTime() + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-jar",
            "target/streaminfer.jar",
            "serve",
            "--bootstrap",
            broker.bootstrapServers(),
            "--device",
            "cpu",
            "--http-port",
            Integer.toString(HTTP_PORT)));
    command.addAll(serveArguments);
    engine =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** SIGKILL: no drain, no last commit. */
  void kill() throws InterruptedException {
    engine.destroyForcibly();
    engine.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM, then the exit status once the engine drained. */
  int terminate() throws InterruptedException {
    engine.destroy();
    if (!engine.waitFor(60, TimeUnit.SECONDS)) {
      throw new AssertionError("the engine did not exit within 60 s of SIGTERM; log: " + log);
    }
    return engine.exitValue();
  }

  String bootstrapServers() {
    return broker.bootstrapServers();
  }

  Path log() {
    return log;
  }

  void produce(String topic, List<Map.Entry<String, byte[]>> records) {
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
            new StringSerializer(),
            new ByteArraySerializer())) {
      records.forEach(r -> producer.send(new ProducerRecord<>(topic, r.getKey(), r.getValue())));
      producer.flush();
    }
  }

  /** Reads until {@code count} records arrived, then a few quiet seconds more: nothing else. */
  List<ConsumerRecord<String, byte[]>> consume(String topic, int count) {
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = consumer("client-" + topic, topic)) {
      long end = System.nanoTime() + DEADLINE.toNanos();
      while (records.size() < count) {
        failIfStuck(end, topic, records.size() + " of " + count + " records");
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
  Set<String> consumeDistinctKeys(String topic, int count) {
    Set<String> keys = new HashSet<>();
    try (KafkaConsumer<String, byte[]> consumer = consumer("distinct-" + topic, topic)) {
      long end = System.nanoTime() + DEADLINE.toNanos();
      while (keys.size() < count) {
        failIfStuck(end, topic, keys.size() + " of " + count + " keys");
        consumer.poll(Duration.ofMillis(200)).forEach(record -> keys.add(record.key()));
      }
    }
    return keys;
  }

  long endOffsets(String topic) throws Exception {
    try (Admin admin = admin()) {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < PARTITIONS; p++) {
        latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
          .mapToLong(info -> info.offset())
          .sum();
    } catch (ExecutionException e) {
      return 0; // the engine has not created the topic yet
    }
  }

  long committedOffsets(String group) throws Exception {
    try (Admin admin = admin()) {
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

  String scrape(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + HTTP_PORT + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private void failIfStuck(long end, String topic, String progress) {
    if (System.nanoTime() > end || !engine.isAlive()) {
      throw new AssertionError(topic + ": " + progress + "; engine log: " + log);
    }
  }

  private KafkaConsumer<String, byte[]> consumer(String group, String topic) {
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new StringDeserializer(),
            new ByteArrayDeserializer());
    consumer.subscribe(List.of(topic));
    return consumer;
  }

  private Admin admin() {
    return Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
  }

  @Override
  public void close() throws Exception {
    if (engine.isAlive()) {
      engine.destroy();
      engine.waitFor(60, TimeUnit.SECONDS);
    }
    broker.close();
  }
}
