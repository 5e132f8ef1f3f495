package streaminfer.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import streaminfer.broker.KafkaBroker;
import streaminfer.broker.Topics;
import streaminfer.stream.state.KeyValueStore;
import streaminfer.stream.state.StateCodec;
import streaminfer.stream.state.StreamState;

/** {@code delivery: exactly-once} on a real broker, as a {@code read_committed} reader sees it. */
class ExactlyOnceStreamTest {
  @RegisterExtension final KafkaBroker broker = new KafkaBroker();
  private final Vertx vertx = Vertx.vertx();

  @BeforeEach
  void createTopics() {
    Topics.ensure(broker.bootstrapServers(), List.of("in", "out", "in.dlq"), 2);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Test
  void aReadCommittedReaderSeesEachInputsOutputOnceAndTheOffsetsAreCommittedWithIt()
      throws Exception {
    List<String> sent = TestInputs.produce(broker.bootstrapServers(), 300);
    Random random = new Random(11);
    deploy(
        config(),
        (partition, key, value) ->
            CompletableFuture.supplyAsync(
                () -> Output.one("out", value),
                CompletableFuture.delayedExecutor(random.nextInt(5), TimeUnit.MILLISECONDS)));
    List<ConsumerRecord<String, byte[]>> outputs = readCommitted("out", sent.size());
    assertEquals(sent, sortedBySequence(values(outputs)), "one output per input, none twice");
    awaitCommitted(sent.size());
  }

  @Test
  void outputsStayInvisibleToReadCommittedReadersUntilTheirTransactionCommits() throws Exception {
    List<String> sent = TestInputs.produce(broker.bootstrapServers(), 50);
    String deployment =
        deploy(
            config().withCommitIntervalMillis(TimeUnit.HOURS.toMillis(1)),
            (partition, key, value) -> CompletableFuture.completedFuture(Output.one("out", value)));
    assertEquals(
        sent.size(),
        read("out", sent.size(), "read_uncommitted", 0).size(),
        "the outputs were produced");
    assertEquals(0, read("out", 1, "read_committed", 0).size(), "seen before their commit");
    // A stop commits the open transaction.
    vertx.undeploy(deployment).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    assertEquals(sent, sortedBySequence(values(readCommitted("out", sent.size()))));
  }

  @Test
  void aStatefulCountNeverCountsARecordTwiceWhenItsPartitionMovesToAnotherMember()
      throws Exception {
    List<String> sent = TestInputs.produce(broker.bootstrapServers(), 2_000);
    deployCounter();
    // A second member joins mid-stream: the first hands a partition over, with records in
    // flight and offsets acknowledged since its last commit, in its transaction.
    read("out", 200, "read_uncommitted", 0);
    deployCounter();
    List<ConsumerRecord<String, byte[]>> outputs = readCommitted("out", sent.size());
    assertEquals(sent.size(), outputs.size(), "one committed output per input");
    Map<String, List<Integer>> countsByKey = new HashMap<>();
    outputs.forEach(
        output ->
            countsByKey
                .computeIfAbsent(output.key(), k -> new ArrayList<>())
                .add(Integer.parseInt(new String(output.value(), StandardCharsets.UTF_8))));
    countsByKey.forEach(
        (key, counts) -> {
          List<Integer> expected = new ArrayList<>();
          for (int count = 1; count <= sent.size() / 8; count++) {
            expected.add(count);
          }
          assertEquals(expected, counts, key + ": each record counted once, in order");
        });
  }

  @Test
  void anOutputTooLargeForItsTopicDeadLettersItsInputAndTheStreamGoesOn() throws Exception {
    Topics.ensure(
        broker.bootstrapServers(),
        List.of("small"),
        1,
        Map.of(org.apache.kafka.common.config.TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "1024"));
    List<String> sent = TestInputs.produce(broker.bootstrapServers(), 40);
    StreamConfig config =
        new StreamConfig(
            "eos",
            broker.bootstrapServers(),
            "g",
            "in",
            java.util.Set.of("out", "small"),
            "in.dlq",
            1024,
            100,
            StreamConfig.DEFAULT_DRAIN_TIMEOUT_MILLIS,
            StreamConfig.DEFAULT_RECORD_TIMEOUT_MILLIS,
            Map.of(),
            Delivery.EXACTLY_ONCE);
    deploy(
        config,
        (partition, key, value) ->
            CompletableFuture.completedFuture(
                TestInputs.sequence(value) == 7
                    ? List.of(
                        new Output("out", null, value), new Output("small", null, new byte[4096]))
                    : Output.one("out", value)));
    List<ConsumerRecord<String, byte[]>> letters = readCommitted("in.dlq", 1);
    assertEquals(List.of(sent.get(7)), values(letters));
    assertEquals(
        org.apache.kafka.common.errors.RecordTooLargeException.class.getName(),
        new String(
            letters.get(0).headers().lastHeader(DeadLetters.ERROR_CLASS).value(),
            StandardCharsets.UTF_8));
    List<ConsumerRecord<String, byte[]>> outputs = readCommitted("out", sent.size() - 1);
    List<String> expected = new ArrayList<>(sent);
    expected.remove(7);
    assertEquals(expected, sortedBySequence(values(outputs)), "every other input answered once");
    awaitCommitted(sent.size());
  }

  private StreamConfig config() {
    return StreamConfig.of(broker.bootstrapServers(), "g", "in", "out")
        .withDelivery(Delivery.EXACTLY_ONCE);
  }

  /**
   * Counts each key's records in a store; outputs the count. Slow (10 records in flight, 10 ms
   * each) and committing once a second, so that a handover finds work under way.
   */
  private void deployCounter() throws Exception {
    StreamConfig config = config().withCommitIntervalMillis(1_000).withMaxInFlightRecords(10);
    StreamState state = StreamState.of(config, UnaryOperator.identity());
    KeyValueStore<byte[]> counts = state.stores().open("counts", StateCodec.BYTES);
    deploy(
        new StreamVerticle(
            config,
            new CountingProcessor(counts, Duration.ofMillis(10)),
            state,
            StreamMetrics.NONE));
  }

  private String deploy(StreamConfig config, RecordProcessor processor) throws Exception {
    return deploy(
        new StreamVerticle(
            config,
            processor,
            StreamState.of(config, UnaryOperator.identity()),
            StreamMetrics.NONE));
  }

  private String deploy(StreamVerticle verticle) throws Exception {
    return vertx
        .deployVerticle(verticle)
        .toCompletionStage()
        .toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
  }

  private void awaitCommitted(long expected) throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      long committed = 0;
      while (committed < expected && System.nanoTime() < end) {
        committed =
            admin
                .listConsumerGroupOffsets("g")
                .partitionsToOffsetAndMetadata()
                .get(30, TimeUnit.SECONDS)
                .values()
                .stream()
                .mapToLong(OffsetAndMetadata::offset)
                .sum();
        Thread.sleep(100);
      }
      assertEquals(expected, committed, "input offsets committed");
    }
  }

  /** Reads until {@code count} records arrived, then two quiet seconds more. */
  private List<ConsumerRecord<String, byte[]>> readCommitted(String topic, int count) {
    List<ConsumerRecord<String, byte[]>> records = read(topic, count, "read_committed", 2);
    assertTrue(records.size() >= count, records.size() + " of " + count + " committed outputs");
    return records;
  }

  /** Reads until {@code count} records arrived, then {@code quietSeconds} more. */
  private List<ConsumerRecord<String, byte[]>> read(
      String topic, int count, String isolation, int quietSeconds) {
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "reader-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                isolation),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(count == 1 ? 5 : 90);
      while (records.size() < count && System.nanoTime() < end) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      long quiet = System.nanoTime() + TimeUnit.SECONDS.toNanos(quietSeconds);
      while (System.nanoTime() < quiet) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  private static List<String> values(List<ConsumerRecord<String, byte[]>> records) {
    return records.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
  }

  private static List<String> sortedBySequence(List<String> values) {
    List<String> sorted = new ArrayList<>(values);
    sorted.sort(
        (a, b) ->
            Integer.compare(
                TestInputs.sequence(a.getBytes(StandardCharsets.UTF_8)),
                TestInputs.sequence(b.getBytes(StandardCharsets.UTF_8))));
    return sorted;
  }
}
