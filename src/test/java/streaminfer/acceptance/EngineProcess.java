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
  static final int PARTITIONS = 3;
  private static final Duration DEADLINE = Duration.ofMinutes(4);

  private final Path dataDir;
  private final List<String> serveArguments;
  private final Map<String, String> environment;
  // Free when the engine process is made: a fixed port held by a leftover engine would fail it.
  private final int httpPort;
  // Fixed ports, so that a restarted broker is where the engine and its own metadata expect it.
  private final BrokerConfig brokerConfig;
  private EmbeddedKafkaBroker broker;
  private Process engine;
  private Path log;

  /**
   * Starts the broker, creates {@code inputTopic} as a client's operator would, then the engine.
   */
  EngineProcess(Path dataDir, String inputTopic, List<String> serveArguments) throws Exception {
    this(dataDir, List.of(inputTopic), serveArguments, Map.of());
  }

  /** As above, with several input topics and environment variables for the engine. */
  EngineProcess(
      Path dataDir,
      List<String> inputTopics,
      List<String> serveArguments,
      Map<String, String> environment)
      throws Exception {
    this.dataDir = dataDir;
    this.serveArguments = List.copyOf(serveArguments);
    this.environment = Map.copyOf(environment);
    this.httpPort = freePort();
    this.brokerConfig =
        new BrokerConfig(dataDir.resolve("kafka"), freePort(), freePort(), PARTITIONS, Map.of());
    this.broker = EmbeddedKafkaBroker.start(brokerConfig);
    try (Admin admin = admin()) {
      admin
          .createTopics(
              inputTopics.stream()
                  .map(topic -> new NewTopic(topic, PARTITIONS, (short) 1))
                  .toList())
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    start();
  }

  void start() throws Exception {
    // Under target/, not the test's temporary directory: kept for a failure's post-mortem.
    Path logs = Path.of("target", "engine-logs");
    java.nio.file.Files.createDirectories(logs);
    log = logs.resolve("engine-" + System.nanoTime() + ".log");
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
            Integer.toString(httpPort)));
    command.addAll(serveArguments);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    engine = builder.start();
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

  /** Stops the broker cleanly; the engine keeps running without it. */
  void stopBroker() {
    broker.close();
  }

  /** Starts the broker again, on its data and ports. */
  void startBroker() {
    broker = EmbeddedKafkaBroker.start(brokerConfig);
  }

  /** The HTTP status of {@code path} on the engine's ops port; -1 when nothing answers. */
  int status(String path) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + path))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (java.io.IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** The engine's peak resident set so far (VmHWM), in MiB; Linux only. */
  long peakRssMiB() throws java.io.IOException {
    for (String line :
        java.nio.file.Files.readAllLines(Path.of("/proc/" + engine.pid() + "/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
      }
    }
    throw new IllegalStateException("no VmHWM for the engine process");
  }

  /** Waits up to two minutes for {@code condition}; fails sooner if the engine exits. */
  void await(java.util.function.BooleanSupplier condition, String what)
      throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError(what + " within 120 s; log: " + log);
      }
      if (!engine.isAlive()) {
        throw new AssertionError(what + ": the engine exited; log: " + log);
      }
      Thread.sleep(100);
    }
  }

  boolean alive() {
    return engine.isAlive();
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

  /** Sends {@code count} records made one at a time, none held longer than its send; returns it. */
  int produce(
      String topic, int count, java.util.function.IntFunction<Map.Entry<String, byte[]>> record) {
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
            new StringSerializer(),
            new ByteArraySerializer())) {
      for (int n = 0; n < count; n++) {
        Map.Entry<String, byte[]> next = record.apply(n);
        producer.send(new ProducerRecord<>(topic, next.getKey(), next.getValue()));
      }
      producer.flush();
    }
    return count;
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

  /**
   * Reads {@code topic} from the beginning at {@code isolation} ({@code read_committed} or {@code
   * read_uncommitted}) until {@code done} holds for what was read, then two quiet seconds more.
   */
  List<ConsumerRecord<String, byte[]>> consumeUntil(
      String topic,
      String isolation,
      java.util.function.Predicate<List<ConsumerRecord<String, byte[]>>> done,
      String progress) {
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    Map<String, Object> properties =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            broker.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            "reader-" + topic + "-" + System.nanoTime(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            isolation);
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long end = System.nanoTime() + DEADLINE.toNanos();
      while (!done.test(records)) {
        failIfStuck(end, topic, records.size() + " records, " + progress);
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      long quietUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos();
      while (System.nanoTime() < quietUntil) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  /**
   * Hands each record of {@code topic}, from the beginning, to {@code each} until {@code count}
   * have been read; keeps none of them.
   */
  void scan(
      String topic, long count, java.util.function.Consumer<ConsumerRecord<String, byte[]>> each) {
    try (KafkaConsumer<String, byte[]> consumer = consumer("scan-" + System.nanoTime(), topic)) {
      long end = System.nanoTime() + DEADLINE.toNanos();
      long read = 0;
      while (read < count) {
        failIfStuck(end, topic, read + " of " + count + " records");
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          each.accept(record);
          read++;
        }
      }
    }
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
            HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + path)).build(),
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
