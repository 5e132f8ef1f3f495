package streaminfer.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import streaminfer.broker.KafkaBroker;
import streaminfer.broker.Topics;
import streaminfer.replay.RecordedRecord;
import streaminfer.replay.RecordingReader;

/**
 * The recorder and the replayer as users run them, {@code streaminfer record} and {@code
 * streaminfer replay} processes, SIGKILLed halfway and run again: the file and the replayed topic
 * hold every record exactly once, in each partition's order.
 */
@Tag("fault-suite")
class RecordReplayKillIT {
  @RegisterExtension final KafkaBroker kafka = new KafkaBroker();
  @TempDir Path dir;

  @Test
  void aRecorderKilledHalfwayAndResumedLosesAndRepeatsNothing() throws Exception {
    int count = 30_000;
    produce("source", count, 2_048, Duration.ZERO);
    Path file = dir.resolve("source.avro");
    List<String> record =
        List.of(
            "record", "--topic", "source", "--out", file.toString(), "--bootstrap", bootstrap());
    Process first = start(record);
    // Killed once a part of the file is written: about a quarter of 60 MB of incompressible values.
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!(Files.exists(file) && Files.size(file) > 15_000_000) && first.isAlive()) {
      assertTrue(System.nanoTime() < deadline, "the recorder wrote too little in a minute");
      Thread.sleep(20);
    }
    assertTrue(first.isAlive(), "the recorder finished before it could be killed");
    first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    long recordedBeforeKill;
    try (RecordingReader reader = RecordingReader.open(file)) {
      recordedBeforeKill = reader.contents().records();
    }
    assertTrue(recordedBeforeKill > 0 && recordedBeforeKill < count, "killed halfway");
    System.out.printf(
        "recorder SIGKILLed with %,d of %,d records in its file%n", recordedBeforeKill, count);

    List<String> resume = new ArrayList<>(record);
    resume.add("--resume");
    assertEquals(0, run(resume), "the resumed recorder's exit status");

    Map<Integer, List<String>> recorded = new HashMap<>();
    try (RecordingReader reader = RecordingReader.open(file)) {
      for (RecordedRecord r : reader) {
        recorded.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(digest(r.value()));
      }
      assertEquals(0, reader.tornBytes());
    }
    assertEquals(perPartition("source"), recorded);
  }

  @Test
  void aReplayerKilledHalfwayAndRunAgainLosesAndRepeatsNothing() throws Exception {
    // About 8 s of recorded time, replayed at its own speed and killed about halfway.
    produce("source", 4_000, 256, Duration.ofSeconds(8));
    Path file = dir.resolve("source.avro");
    assertEquals(
        0,
        run(
            List.of(
                "record",
                "--topic",
                "source",
                "--out",
                file.toString(),
                "--bootstrap",
                bootstrap())));
    List<String> replay =
        List.of(
            "replay",
            "--in",
            file.toString(),
            "--topic",
            "copy",
            "--bootstrap",
            bootstrap(),
            "--speed");
    List<String> atRecordedSpeed = new ArrayList<>(replay);
    atRecordedSpeed.add("1");
    Process first = start(atRecordedSpeed);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (committed("copy") < 1_500 && first.isAlive()) {
      assertTrue(System.nanoTime() < deadline, "the replayer sent too little in a minute");
      Thread.sleep(50);
    }
    assertTrue(first.isAlive(), "the replayer finished before it could be killed");
    first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    long beforeKill = committed("copy");
    assertTrue(beforeKill < 4_000, "killed halfway, after " + beforeKill);
    System.out.printf("replayer SIGKILLed with %,d of 4,000 records committed%n", beforeKill);

    List<String> asFastAsPossible = new ArrayList<>(replay);
    asFastAsPossible.add("max");
    assertEquals(0, run(asFastAsPossible), "the second replay's exit status");
    assertEquals(perPartition("source"), perPartition("copy"));
  }

  private String bootstrap() {
    return kafka.bootstrapServers();
  }

  private Process start(List<String> arguments) throws Exception {
    Path logs = Path.of("target", "engine-logs");
    Files.createDirectories(logs);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add("target/streaminfer.jar");
    command.addAll(arguments);
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(logs.resolve(arguments.get(0) + "-" + System.nanoTime() + ".log").toFile())
        .start();
  }

  private int run(List<String> arguments) throws Exception {
    Process process = start(arguments);
    assertTrue(process.waitFor(3, TimeUnit.MINUTES), String.join(" ", arguments) + " hung");
    return process.exitValue();
  }

  /** Random (incompressible) values, spread over three partitions by key. */
  private void produce(String topic, int count, int valueBytes, Duration over) throws Exception {
    Topics.ensure(Map.of("bootstrap.servers", bootstrap()), List.of(topic), 3, Map.of());
    Random random = new Random(7);
    Map<String, Object> properties = new HashMap<>();
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    properties.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    long start = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < count; i++) {
        byte[] value = new byte[valueBytes];
        random.nextBytes(value);
        producer.send(new ProducerRecord<>(topic, ("k" + i % 50).getBytes(), value));
        long due = start + over.toNanos() * i / count;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
      }
      producer.flush();
    }
  }

  /** Committed records in the topic now (read_committed end offsets include markers: read them). */
  private long committed(String topic) {
    try {
      return perPartition(topic).values().stream().mapToLong(List::size).sum();
    } catch (RuntimeException notYet) {
      return 0;
    }
  }

  private Map<Integer, List<String>> perPartition(String topic) {
    Map<String, Object> properties = new HashMap<>();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Map<Integer, List<String>> out = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
          && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          out.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(digest(r.value()));
        }
      }
    }
    return out;
  }

  private static String digest(byte[] value) {
    return HexFormat.of().formatHex(value, 0, Math.min(16, value.length));
  }
}
