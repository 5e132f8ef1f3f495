package streaminfer.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.file.CodecFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import streaminfer.broker.KafkaBroker;
import streaminfer.broker.Topics;
import streaminfer.client.Progress;

/** Recording and replaying through a real broker. */
class RecordReplayTest {
  @RegisterExtension final KafkaBroker kafka = new KafkaBroker();
  @TempDir Path dir;

  private static final Progress.Factory QUIET =
      (label, unit, total) ->
          new Progress(
              label,
              unit,
              total,
              new PrintStream(PrintStream.nullOutputStream()),
              false,
              Duration.ofHours(1));

  @Test
  void replaysKeysValuesHeadersAndPerPartitionOrderAsRecorded() throws Exception {
    produce("source", 3_000, 0);
    Path file = dir.resolve("source.avro");
    Recorder.Result recorded = new Recorder(client()).record(request("source", file), QUIET);
    assertEquals(3_000, recorded.recorded());

    Replayer.Result replayed = new Replayer(client()).replay(replay(file, "copy", 0), QUIET);
    assertEquals(3_000, replayed.sent());
    assertTrue(replayed.complete());
    assertEquals(byPartition(consumeAll("source")), byPartition(consumeAll("copy")));
  }

  @Test
  void recordsOnlyTheNamedPartitionsAndOffsetRange() throws Exception {
    produce("source", 600, 0);
    Path file = dir.resolve("source.avro");
    Recorder.Request request =
        new Recorder.Request(
            "source",
            List.of(1),
            "5",
            "20",
            file,
            Recorder.Mode.CREATE,
            CodecFactory.deflateCodec(6));
    new Recorder(client()).record(request, QUIET);
    List<Long> offsets = new ArrayList<>();
    try (RecordingReader reader = RecordingReader.open(file)) {
      for (RecordedRecord r : reader) {
        assertEquals(1, r.partition());
        offsets.add(r.offset());
      }
      assertEquals(
          Map.of(1, new RecordingManifest.OffsetRange(5, 20)), reader.manifest().partitions());
    }
    assertEquals(java.util.stream.LongStream.range(5, 20).boxed().toList(), offsets);
  }

  @Test
  void refusesToOverwriteAFileUnlessAsked() throws Exception {
    produce("source", 10, 0);
    Path file = dir.resolve("source.avro");
    Files.writeString(file, "precious");
    assertThrows(
        RecordingExistsException.class,
        () -> new Recorder(client()).record(request("source", file), QUIET));
    assertEquals("precious", Files.readString(file));
    Recorder.Request overwrite =
        new Recorder.Request(
            "source",
            List.of(),
            "earliest",
            "now",
            file,
            Recorder.Mode.OVERWRITE,
            CodecFactory.deflateCodec(6));
    assertEquals(10, new Recorder(client()).record(overwrite, QUIET).recorded());
  }

  @Test
  void aResumedRecordingFinishesTheRangeItFirstResolvedWithoutRepeats() throws Exception {
    produce("source", 2_000, 0);
    Path file = dir.resolve("source.avro");
    Recorder first = new Recorder(client());
    // Stops the first run once it has written a part, as a kill would.
    Progress.Factory stopping = stopAfter(700, first::stop);
    long firstRun = first.record(request("source", file), stopping).recorded();
    assertTrue(firstRun < 2_000, "stopped early: " + firstRun);
    // A torn tail, as a kill mid-block leaves, and records that came after the range.
    Files.write(file, new byte[] {9, 9, 9}, StandardOpenOption.APPEND);
    produce("source", 500, 2_000);

    Recorder.Request resume =
        new Recorder.Request(
            "source",
            List.of(),
            "earliest",
            "now",
            file,
            Recorder.Mode.RESUME,
            CodecFactory.deflateCodec(6));
    Recorder.Result resumed = new Recorder(client()).record(resume, QUIET);
    assertEquals(2_000, resumed.alreadyInFile() + resumed.recorded());

    List<String> values = new ArrayList<>();
    try (RecordingReader reader = RecordingReader.open(file)) {
      reader.forEach(r -> values.add(new String(r.value(), StandardCharsets.UTF_8)));
      assertEquals(0, reader.tornBytes());
    }
    assertEquals(2_000, values.size());
    assertEquals(2_000, values.stream().distinct().count());
    assertTrue(values.stream().allMatch(v -> Integer.parseInt(v.substring(6)) < 2_000));
  }

  @Test
  void aStoppedReplayRunAgainContinuesWithoutLosingOrRepeatingARecord() throws Exception {
    produce("source", 1_500, 0);
    Path file = dir.resolve("source.avro");
    new Recorder(client()).record(request("source", file), QUIET);

    Replayer first = new Replayer(client());
    Progress.Factory stopping = stopAfter(600, first::stop);
    Replayer.Result stopped = first.replay(replay(file, "copy", 0), stopping);
    assertTrue(!stopped.complete() && stopped.sent() < 1_500, "stopped: " + stopped);

    Replayer.Result rest = new Replayer(client()).replay(replay(file, "copy", 0), QUIET);
    assertTrue(rest.complete());
    assertEquals(1_500, stopped.sent() + rest.sent());
    assertEquals(byPartition(consumeAll("source")), byPartition(consumeAll("copy")));

    Replayer.Result again = new Replayer(client()).replay(replay(file, "copy", 0), QUIET);
    assertEquals(0, again.sent(), "a finished replay sends nothing when run again");
  }

  @Test
  void pacesTheReplayByTheRecordedTimingDividedByTheSpeed() throws Exception {
    // 400 records over about 2 s of recorded time.
    produceOverTime("source", 400, Duration.ofSeconds(2));
    Path file = dir.resolve("source.avro");
    new Recorder(client()).record(request("source", file), QUIET);
    long span = recordedSpanMillis(file);
    Replayer.Result result = new Replayer(client()).replay(replay(file, "copy", 2), QUIET);
    double expected = span / 2.0;
    double took = result.elapsed().toMillis();
    // Never faster than the pace; and clearly faster than the recorded speed (a loaded machine
    // may add some time, but not the half a span that speed 1 would take).
    assertTrue(
        took >= expected * 0.95 && took <= span * 0.9,
        "replay at speed 2 took " + took + " ms for a recorded span of " + span + " ms");
    assertEquals(byPartition(consumeAll("source")), byPartition(consumeAll("copy")));
  }

  @Test
  void replaysOnlyTheRecordsOfOneKeyWhenAsked() throws Exception {
    produce("source", 300, 0);
    Path file = dir.resolve("source.avro");
    new Recorder(client()).record(request("source", file), QUIET);
    Replayer.Request onlyKey3 =
        new Replayer.Request(
            file,
            "key3",
            0,
            Optional.of("key-3"),
            "earliest",
            "now",
            Replayer.CaptureTime.KEEP,
            Optional.empty(),
            false);
    new Replayer(client()).replay(onlyKey3, QUIET);
    List<ConsumerRecord<byte[], byte[]>> copied = consumeAll("key3");
    assertEquals(300 / 7 + 1, copied.size());
    assertTrue(
        copied.stream()
            .allMatch(r -> Arrays.equals("key-3".getBytes(StandardCharsets.UTF_8), r.key())));
  }

  /**
   * A progress display that prints a line per record and asks the work to stop after {@code
   * records}, as a kill halfway would, but at a known point.
   */
  private static Progress.Factory stopAfter(int records, Runnable stop) {
    OutputStream countingLines =
        new OutputStream() {
          private int lines;

          @Override
          public void write(int b) {
            if (b == '\n' && ++lines >= records) {
              stop.run();
            }
          }
        };
    return (label, unit, total) ->
        new Progress(label, unit, total, new PrintStream(countingLines), false, Duration.ZERO);
  }

  private Recorder.Request request(String topic, Path file) {
    return new Recorder.Request(
        topic,
        List.of(),
        "earliest",
        "now",
        file,
        Recorder.Mode.CREATE,
        CodecFactory.deflateCodec(6));
  }

  private static Replayer.Request replay(Path file, String topic, double speed) {
    return new Replayer.Request(
        file,
        topic,
        speed,
        Optional.empty(),
        "earliest",
        "now",
        Replayer.CaptureTime.KEEP,
        Optional.empty(),
        false);
  }

  private Map<String, String> client() {
    return Map.of("bootstrap.servers", kafka.bootstrapServers());
  }

  /** Records "value i"; every seventh without a key; headers with a repeated key and a null. */
  private void produce(String topic, int count, int first) {
    Topics.ensure(client(), List.of(topic), 3, Map.of());
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (int i = first; i < first + count; i++) {
        producer.send(record(topic, i));
      }
      producer.flush();
    }
  }

  private void produceOverTime(String topic, int count, Duration span) throws InterruptedException {
    Topics.ensure(client(), List.of(topic), 3, Map.of());
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (int i = 0; i < count; i++) {
        producer.send(record(topic, i));
        Thread.sleep(span.toMillis() / count);
      }
      producer.flush();
    }
  }

  private static ProducerRecord<byte[], byte[]> record(String topic, int i) {
    byte[] key = i % 7 == 0 ? null : ("key-" + i % 7).getBytes(StandardCharsets.UTF_8);
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(
            topic,
            key == null ? i % 3 : null,
            key,
            ("value " + i).getBytes(StandardCharsets.UTF_8));
    record.headers().add("trace", ("t" + i).getBytes(StandardCharsets.UTF_8));
    record.headers().add("trace", null);
    return record;
  }

  private KafkaProducer<byte[], byte[]> producer() {
    Map<String, Object> properties = new HashMap<>(client());
    properties.put(ProducerConfig.LINGER_MS_CONFIG, "1");
    return new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private List<ConsumerRecord<byte[], byte[]>> consumeAll(String topic) {
    Map<String, Object> properties = new HashMap<>(client());
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      // The high watermark, commit markers included: right after a commit returns, the markers
      // may not be written yet, and a read_committed end offset would still be the start.
      Map<TopicPartition, Long> end;
      try (KafkaConsumer<byte[], byte[]> uncommitted =
          new KafkaConsumer<>(
              new HashMap<String, Object>(client()),
              new ByteArrayDeserializer(),
              new ByteArrayDeserializer())) {
        end = uncommitted.endOffsets(partitions);
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
          && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
      }
    }
    return records;
  }

  /** Per partition, each record as key, value and headers in order, comparable with equals. */
  private static Map<Integer, List<String>> byPartition(
      List<ConsumerRecord<byte[], byte[]>> records) {
    Map<Integer, List<String>> out = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      StringBuilder line =
          new StringBuilder()
              .append(r.key() == null ? "null" : new String(r.key(), StandardCharsets.UTF_8))
              .append('|')
              .append(new String(r.value(), StandardCharsets.UTF_8));
      for (Header h : r.headers()) {
        line.append('|').append(h.key()).append('=').append(Arrays.toString(h.value()));
      }
      out.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(line.toString());
    }
    return out;
  }

  private static long recordedSpanMillis(Path file) throws IOException {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    try (RecordingReader reader = RecordingReader.open(file)) {
      for (RecordedRecord r : reader) {
        min = Math.min(min, r.timestamp());
        max = Math.max(max, r.timestamp());
      }
    }
    return max - min;
  }
}
