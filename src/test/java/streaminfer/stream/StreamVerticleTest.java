package streaminfer.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
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
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import streaminfer.broker.BrokerConfig;
import streaminfer.broker.EmbeddedKafkaBroker;
import streaminfer.broker.Topics;
import streaminfer.ops.PipelineMetrics;
import streaminfer.stream.state.KeyValueStore;
import streaminfer.stream.state.StateCodec;
import streaminfer.stream.state.StreamState;

/** The stream layer on a real broker, with processors that finish late and out of order. */
class StreamVerticleTest {
  @TempDir Path dataDir;
  private EmbeddedKafkaBroker broker;
  private final Vertx vertx = Vertx.vertx();

  @BeforeEach
  void startBroker() {
    broker = EmbeddedKafkaBroker.start(BrokerConfig.defaults(dataDir));
    Topics.ensure(broker.bootstrapServers(), List.of("in", "out", "side", "in.dlq"), 2);
  }

  @AfterEach
  void stop() throws Exception {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } finally {
      // Before the data directory goes: a broker left running would fault on its missing log.
      broker.close();
    }
  }

  @Test
  void pausesTheConsumerAtMaxInFlightRecordsAndResumesAsTheyAreAcknowledged() throws Exception {
    List<CompletableFuture<List<Output>>> held = new CopyOnWriteArrayList<>();
    AtomicBoolean released = new AtomicBoolean();
    produce(200);
    deploy(
        StreamConfig.of(broker.bootstrapServers(), "g", "in", "out").withMaxInFlightRecords(10),
        (partition, key, value) -> {
          if (released.get()) {
            return CompletableFuture.completedFuture(Output.one("out", value));
          }
          CompletableFuture<List<Output>> result = new CompletableFuture<>();
          held.add(result);
          return result;
        });
    await(() -> held.size() >= 10);
    // A bounded wait for a negative: give the consumer every chance to overrun the bound.
    Thread.sleep(1_000);
    assertEquals(10, held.size(), "records handed out beyond maxInFlightRecords");
    released.set(true);
    held.forEach(result -> result.complete(Output.one("out", new byte[] {1})));
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
              () -> Output.one("out", value),
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
          return CompletableFuture.completedFuture(
              sequence(value) % 2 == 0 ? Output.one("out", value) : List.of());
        });
    assertEquals(50, read("out", 50).size());
    await(() -> committed("g") == sent.size());
  }

  @Test
  void deadLettersARecordItsProcessorNeverFinishesAndGoesOnWithItsPartition() throws Exception {
    List<String> sent = produce(40);
    CompletableFuture<List<Output>> stuck = new CompletableFuture<>();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    StreamConfig config =
        StreamConfig.of(broker.bootstrapServers(), "g", "in", "out").withRecordTimeoutMillis(500);
    StreamVerticle verticle =
        new StreamVerticle(
            config,
            (partition, key, value) ->
                sequence(value) == 5
                    ? stuck
                    : CompletableFuture.completedFuture(Output.one("out", value)),
            StreamState.of(config, UnaryOperator.identity()),
            new PipelineMetrics(registry, "g", "m"));
    deploy(verticle);
    List<ConsumerRecord<String, byte[]>> letters = read("in.dlq", 1);
    assertEquals(1, letters.size());
    ConsumerRecord<String, byte[]> letter = letters.get(0);
    assertEquals("k5", letter.key());
    assertEquals(sent.get(5), new String(letter.value(), StandardCharsets.UTF_8));
    assertEquals(RecordTimeoutException.class.getName(), header(letter, DeadLetters.ERROR_CLASS));
    assertEquals("not processed within 500 ms", header(letter, DeadLetters.ERROR_MESSAGE));
    assertTrue(verticle.stuck().orElse("").contains("timed out"), "readiness names no timeout");
    assertEquals(39, read("out", 39).size());
    await(() -> committed("g") == sent.size());
    // A late answer of the timed-out record is ignored: no output, no second acknowledgement.
    stuck.complete(Output.one("out", "late".getBytes(StandardCharsets.UTF_8)));
    produce(8);
    assertEquals(47, read("out", 47).size());
    await(() -> committed("g") == sent.size() + 8);
    assertTrue(
        registry.scrape().contains("streaminfer_records_timed_out_total{pipeline=\"g\"} 1.0"),
        registry.scrape());
  }

  @Test
  void staysInItsGroupWhilePausedLongerThanMaxPollInterval() throws Exception {
    List<CompletableFuture<List<Output>>> held = new CopyOnWriteArrayList<>();
    AtomicBoolean released = new AtomicBoolean();
    produce(50);
    deploy(
        StreamConfig.of(broker.bootstrapServers(), "g", "in", "out")
            .withMaxInFlightRecords(10)
            .withClientOverrides(Map.of(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, "1500")),
        (partition, key, value) -> {
          if (released.get()) {
            return CompletableFuture.completedFuture(Output.one("out", value));
          }
          CompletableFuture<List<Output>> result = new CompletableFuture<>();
          held.add(result);
          return result;
        });
    await(() -> held.size() >= 10);
    // Paused for three times max.poll.interval.ms: a member that stopped polling has left by now.
    Thread.sleep(4_500);
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      ConsumerGroupDescription group =
          admin.describeConsumerGroups(List.of("g")).all().get().get("g");
      assertEquals(1, group.members().size(), "the paused consumer left its group: " + group);
    }
    released.set(true);
    held.forEach(result -> result.complete(Output.one("out", new byte[] {1})));
    assertEquals(50, read("out", 50).size());
    await(() -> committed("g") == 50);
  }

  @Test
  void commitsARevokedPartitionsAcknowledgedOffsetsBeforeAnotherMemberIsGivenIt() throws Exception {
    List<String> sent = produce(40);
    PipelineMetrics metrics =
        new PipelineMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), "g", "m");
    // No periodic commit within the test: only the one at revocation.
    StreamConfig config =
        StreamConfig.of(broker.bootstrapServers(), "g", "in", "out")
            .withCommitIntervalMillis(600_000);
    deploy(
        new StreamVerticle(
            config,
            (partition, key, value) -> CompletableFuture.completedFuture(Output.one("out", value)),
            StreamState.of(config, UnaryOperator.identity()),
            metrics));
    await(() -> metrics.recordsOut() == sent.size());
    Map<org.apache.kafka.common.TopicPartition, Long> committedOnAssignment =
        new java.util.concurrent.ConcurrentHashMap<>();
    try (KafkaConsumer<String, byte[]> second =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "g",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                "false"),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      second.subscribe(
          List.of("in"),
          new org.apache.kafka.clients.consumer.ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(
                java.util.Collection<org.apache.kafka.common.TopicPartition> partitions) {}

            @Override
            public void onPartitionsAssigned(
                java.util.Collection<org.apache.kafka.common.TopicPartition> partitions) {
              second
                  .committed(new java.util.HashSet<>(partitions))
                  .forEach(
                      (partition, offset) ->
                          committedOnAssignment.put(
                              partition, offset == null ? -1 : offset.offset()));
            }
          });
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (committedOnAssignment.isEmpty() && System.nanoTime() < end) {
        second.poll(Duration.ofMillis(100));
      }
      assertTrue(!committedOnAssignment.isEmpty(), "the second member got no partition");
      Map<org.apache.kafka.common.TopicPartition, Long> ends =
          second.endOffsets(committedOnAssignment.keySet());
      assertEquals(ends, committedOnAssignment, "acknowledged records not committed at revocation");
    }
  }

  @Test
  void countsConsumerErrorsAndCommitFailures() throws Exception {
    produce(20);
    PipelineMetrics metrics =
        new PipelineMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), "g", "m");
    // A static member fenced by a newer instance of the same id: its commits and polls fail.
    StreamConfig config =
        StreamConfig.of(broker.bootstrapServers(), "g", "in", "out")
            .withCommitIntervalMillis(3_000)
            .withClientOverrides(Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "one"));
    deploy(
        new StreamVerticle(
            config,
            (partition, key, value) -> CompletableFuture.completedFuture(Output.one("out", value)),
            StreamState.of(config, UnaryOperator.identity()),
            metrics));
    await(() -> metrics.recordsOut() == 20);
    try (KafkaConsumer<String, byte[]> usurper =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "g",
                ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
                "one",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                "false"),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      usurper.subscribe(List.of("in"));
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (usurper.assignment().isEmpty() && System.nanoTime() < end) {
        usurper.poll(Duration.ofMillis(100));
      }
      await(() -> metrics.commitFailures() >= 1 && metrics.consumerErrors() >= 1);
    }
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

  @Test
  void producesZeroOneOrThreeOutputsPerInputInInputOrderAndCommitsPastEachOnceAllAreAcknowledged()
      throws Exception {
    List<String> sent = produce(300);
    Random random = new Random(11);
    deploy(
        StreamConfig.of(broker.bootstrapServers(), "g", "in", "out", "side"),
        (partition, key, value) -> {
          int sequence = sequence(value);
          List<Output> outputs =
              switch (sequence % 3) {
                case 0 -> List.of();
                case 1 -> Output.one("out", value);
                default ->
                    List.of(
                        new Output("out", null, value),
                        new Output("side", "side-" + key, value),
                        new Output("out", null, value));
              };
          return CompletableFuture.supplyAsync(
              () -> outputs,
              CompletableFuture.delayedExecutor(random.nextInt(20), TimeUnit.MILLISECONDS));
        });
    List<ConsumerRecord<String, byte[]>> out = read("out", 100 + 2 * 100);
    List<ConsumerRecord<String, byte[]>> side = read("side", 100);
    await(() -> committed("g") == sent.size());
    assertEquals(300, out.size());
    assertEquals(100, side.size());
    Map<String, List<Integer>> sequenceByKey = new HashMap<>();
    for (ConsumerRecord<String, byte[]> output : out) {
      sequenceByKey
          .computeIfAbsent(output.key(), k -> new ArrayList<>())
          .add(sequence(output.value()));
    }
    sequenceByKey.forEach(
        (key, sequence) -> {
          List<Integer> sorted = new ArrayList<>(sequence);
          Collections.sort(sorted);
          assertEquals(sorted, sequence, "outputs of " + key + " out of input order");
          assertTrue(sequence.stream().noneMatch(n -> n % 3 == 0), "a skipped input answered");
        });
    assertTrue(side.stream().allMatch(record -> record.key().startsWith("side-k")));
  }

  @Test
  void deadLettersTheOriginalRecordWhenAnOutputIsRefusedOrGoesToAnUndeclaredTopic()
      throws Exception {
    Topics.ensure(
        broker.bootstrapServers(),
        List.of("small"),
        1,
        Map.of(org.apache.kafka.common.config.TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "1024"));
    List<String> sent = produce(16);
    deploy(
        StreamConfig.of(broker.bootstrapServers(), "frames-v2", "in", "out", "small"),
        (partition, key, value) ->
            CompletableFuture.completedFuture(
                switch (sequence(value)) {
                  case 3 ->
                      List.of(
                          new Output("out", null, value),
                          new Output("small", null, new byte[4096]));
                  case 5 -> Output.one("elsewhere", value);
                  default -> Output.one("out", value);
                }));
    List<ConsumerRecord<String, byte[]>> letters = read("in.dlq", 2);
    await(() -> committed("frames-v2") == sent.size());
    assertEquals(2, letters.size());
    Map<String, ConsumerRecord<String, byte[]>> bySequence = new HashMap<>();
    letters.forEach(letter -> bySequence.put(sent.get(sequence(letter.value())), letter));
    ConsumerRecord<String, byte[]> refused = bySequence.get(sent.get(3));
    assertEquals("k3", refused.key());
    assertEquals(sent.get(3), new String(refused.value(), StandardCharsets.UTF_8));
    assertEquals(
        org.apache.kafka.common.errors.RecordTooLargeException.class.getName(),
        header(refused, DeadLetters.ERROR_CLASS));
    assertEquals("frames-v2", header(refused, DeadLetters.PIPELINE));
    ConsumerRecord<String, byte[]> undeclared = bySequence.get(sent.get(5));
    assertEquals(sent.get(5), new String(undeclared.value(), StandardCharsets.UTF_8));
    assertEquals(
        UndeclaredTopicException.class.getName(), header(undeclared, DeadLetters.ERROR_CLASS));
    assertTrue(header(undeclared, DeadLetters.ERROR_MESSAGE).contains("elsewhere"));
  }

  @Test
  void restoresAPartitionsStateBeforeItsFirstRecordSoARestartedPipelineContinuesFromIt()
      throws Exception {
    StreamConfig config = StreamConfig.of(broker.bootstrapServers(), "counter", "in", "out");
    produce(40);
    String first = deployCounter(config);
    assertEquals(40, read("out", 40).size());
    vertx.undeploy(first).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    produce(40);
    deployCounter(config);
    List<ConsumerRecord<String, byte[]>> counts = read("out", 80);
    Map<String, Integer> highest = new HashMap<>();
    counts.forEach(
        record ->
            highest.merge(
                record.key(),
                Integer.parseInt(new String(record.value(), StandardCharsets.UTF_8)),
                Math::max));
    assertEquals(8, highest.size());
    highest.forEach(
        (key, count) -> assertEquals(10, count, key + " lost its count in the restart"));
    try (org.apache.kafka.clients.admin.Admin admin =
        org.apache.kafka.clients.admin.Admin.create(
            Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      var resource =
          new org.apache.kafka.common.config.ConfigResource(
              org.apache.kafka.common.config.ConfigResource.Type.TOPIC, "counts");
      assertEquals(
          "compact",
          admin
              .describeConfigs(List.of(resource))
              .all()
              .get()
              .get(resource)
              .get("cleanup.policy")
              .value());
      assertEquals(
          2,
          admin
              .describeTopics(List.of("counts"))
              .allTopicNames()
              .get()
              .get("counts")
              .partitions()
              .size(),
          "one changelog partition per input partition");
    }
  }

  /** Counts each key's records in a store named {@code counts}; outputs the count. */
  @Test
  void carriesAnInputsTraceContextToItsOutputsAndItsDeadLetterButNoOtherHeader() throws Exception {
    String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    List<String> sent =
        TestInputs.produce(
            broker.bootstrapServers(),
            6,
            i ->
                List.of(
                    new RecordHeader(
                        "traceparent",
                        traceparent.replace("01", "0" + i).getBytes(StandardCharsets.UTF_8)),
                    new RecordHeader(
                        "tracestate", ("vendor=" + i).getBytes(StandardCharsets.UTF_8)),
                    new RecordHeader(
                        "private", "not for outputs".getBytes(StandardCharsets.UTF_8))));
    deploy(
        StreamConfig.of(broker.bootstrapServers(), "traced", "in", "out"),
        (partition, key, value) ->
            CompletableFuture.completedFuture(
                sequence(value) == 4 ? Output.one("elsewhere", value) : Output.one("out", value)));
    List<ConsumerRecord<String, byte[]>> outputs = read("out", 5);
    List<ConsumerRecord<String, byte[]>> letters = read("in.dlq", 1);
    assertEquals(5, outputs.size());
    assertEquals(1, letters.size());
    List<ConsumerRecord<String, byte[]>> all = new ArrayList<>(outputs);
    all.addAll(letters);
    for (ConsumerRecord<String, byte[]> record : all) {
      int i = sequence(record.value());
      assertEquals(traceparent.replace("01", "0" + i), header(record, "traceparent"));
      assertEquals("vendor=" + i, header(record, "tracestate"));
      assertEquals(null, record.headers().lastHeader("private"));
    }
    assertEquals(4, sequence(letters.get(0).value()));
    assertEquals(6, sent.size());
  }

  @Test
  void makesOneSpanPerRecordChildOfItsInputsContextWhoseContextItsOutputsCarry() throws Exception {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    OpenTelemetrySdk openTelemetry =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .build())
            .build();
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    String parentSpanId = "00f067aa0ba902b7";
    // Record 0 comes without trace headers: its span starts a trace of its own.
    TestInputs.produce(
        broker.bootstrapServers(),
        6,
        i ->
            i == 0
                ? List.of()
                : List.of(
                    new RecordHeader(
                        "traceparent",
                        ("00-" + traceId + "-" + parentSpanId + "-01")
                            .getBytes(StandardCharsets.UTF_8)),
                    new RecordHeader("baggage", ("user=" + i).getBytes(StandardCharsets.UTF_8))));
    deploy(
        new StreamVerticle(
            StreamConfig.of(broker.bootstrapServers(), "spans", "in", "out"),
            (partition, key, value) ->
                CompletableFuture.completedFuture(
                    sequence(value) == 4
                        ? Output.one("elsewhere", value)
                        : List.of(new Output("out", null, value), new Output("out", null, value))),
            StreamState.of(
                StreamConfig.of(broker.bootstrapServers(), "spans", "in", "out"),
                UnaryOperator.identity()),
            StreamMetrics.NONE,
            RecordTracer.of(openTelemetry, "traced-pipeline", "spans")));
    List<ConsumerRecord<String, byte[]>> outputs = read("out", 10);
    List<ConsumerRecord<String, byte[]>> letters = read("in.dlq", 1);
    assertEquals(10, outputs.size(), "two outputs of each record but the dead-lettered one");
    assertEquals(1, letters.size());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (spans.getFinishedSpanItems().size() < 6 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    Map<Integer, SpanData> bySequence = new HashMap<>();
    for (SpanData span : spans.getFinishedSpanItems()) {
      assertEquals(SpanKind.CONSUMER, span.getKind());
      assertEquals("process in", span.getName());
      assertEquals(
          "traced-pipeline",
          span.getAttributes().get(AttributeKey.stringKey("streaminfer.pipeline")));
      assertEquals("kafka", span.getAttributes().get(AttributeKey.stringKey("messaging.system")));
      assertEquals(
          "spans",
          span.getAttributes().get(AttributeKey.stringKey("messaging.consumer.group.name")));
      bySequence.put(Math.toIntExact(spanRecord(span)), span);
    }
    assertEquals(6, spans.getFinishedSpanItems().size(), spans.getFinishedSpanItems().toString());
    List<ConsumerRecord<String, byte[]>> all = new ArrayList<>(outputs);
    all.addAll(letters);
    for (ConsumerRecord<String, byte[]> record : all) {
      int i = sequence(record.value());
      SpanData span = bySequence.get(i);
      assertEquals(
          "00-"
              + span.getTraceId()
              + "-"
              + span.getSpanId()
              + "-"
              + span.getSpanContext().getTraceFlags().asHex(),
          header(record, "traceparent"),
          "the output of record " + i + " carries its span's context");
      if (i == 0) {
        assertFalse(span.getParentSpanContext().isValid(), "record 0 had no parent");
        assertEquals(null, record.headers().lastHeader("baggage"));
      } else {
        assertEquals(traceId, span.getTraceId());
        assertEquals(parentSpanId, span.getParentSpanId());
        assertEquals("user=" + i, header(record, "baggage"), "baggage travels unchanged");
      }
    }
    assertEquals(StatusCode.ERROR, bySequence.get(4).getStatus().getStatusCode());
    assertEquals(StatusCode.UNSET, bySequence.get(1).getStatus().getStatusCode());
    assertEquals(
        2L,
        bySequence.get(1).getAttributes().get(AttributeKey.longKey("streaminfer.output.count")));
    openTelemetry.close();
  }

  /** Which test record a span traced: its partition and offset identify the record. */
  private long spanRecord(SpanData span) throws Exception {
    String partition =
        span.getAttributes().get(AttributeKey.stringKey("messaging.destination.partition.id"));
    long offset = span.getAttributes().get(AttributeKey.longKey("messaging.kafka.offset"));
    for (ConsumerRecord<String, byte[]> record : read("in", 6)) {
      if (Integer.toString(record.partition()).equals(partition) && record.offset() == offset) {
        return sequence(record.value());
      }
    }
    throw new AssertionError("no input at partition " + partition + " offset " + offset);
  }

  private String deployCounter(StreamConfig config) throws Exception {
    StreamState state = StreamState.of(config, UnaryOperator.identity());
    KeyValueStore<byte[]> counts = state.stores().open("counts", StateCodec.BYTES);
    return deploy(config, new CountingProcessor(counts, Duration.ZERO), state);
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  private static int sequence(byte[] value) {
    return TestInputs.sequence(value);
  }

  private String deploy(StreamConfig config, RecordProcessor processor) throws Exception {
    return deploy(config, processor, StreamState.of(config, UnaryOperator.identity()));
  }

  private String deploy(StreamConfig config, RecordProcessor processor, StreamState state)
      throws Exception {
    return deploy(new StreamVerticle(config, processor, state, StreamMetrics.NONE));
  }

  private String deploy(StreamVerticle verticle) throws Exception {
    return vertx
        .deployVerticle(verticle)
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  private List<String> produce(int count) {
    return TestInputs.produce(broker.bootstrapServers(), count);
  }

  private List<ConsumerRecord<String, byte[]>> read(String topic, int count) {
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "reader-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
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
