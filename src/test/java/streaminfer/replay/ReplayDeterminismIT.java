package streaminfer.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.file.CodecFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import streaminfer.broker.KafkaBroker;
import streaminfer.client.PacedProducer;
import streaminfer.client.Progress;
import streaminfer.codec.AvroCodec;
import streaminfer.codec.WriterSchemas;
import streaminfer.config.ConfigLoader;
import streaminfer.config.EngineSettings;
import streaminfer.engine.Engine;
import streaminfer.family.DemoSource;
import streaminfer.family.FamilyModules;
import streaminfer.v1.GenerationRequest;

/**
 * Regression testing by replay, end to end: a live run of three families (gene panels, frames,
 * dialogue turns: 10,000 records; and BEGAN generation requests) is recorded, replayed into fresh
 * topics as fast as possible and at four times the recorded speed (its pacing measured with no
 * engine running), and served by copies of the same pipelines: their outputs equal the originals
 * byte for byte, key by key.
 */
class ReplayDeterminismIT {
  @RegisterExtension final KafkaBroker kafka = new KafkaBroker();
  @TempDir Path dir;

  private static final Duration LIVE_RUN = Duration.ofSeconds(20);

  /** Records per second of each family's live input; 10,000 in all over the live run. */
  private static final Map<String, Integer> RATES = rates();

  private static final Map<String, String> INPUTS =
      Map.of(
          "dgex", "gene-panels",
          "ssd", "frames",
          "guesswhat", "dialogue-turns",
          "began-images", "generation-requests");
  private static final Map<String, String> OUTPUTS =
      Map.of(
          "dgex", "gene-expression",
          "ssd", "detections",
          "guesswhat", "dialogue-replies",
          "began-images", "generated-images");

  private static final Progress.Factory QUIET =
      (label, unit, total) ->
          new Progress(
              label,
              unit,
              total,
              new PrintStream(PrintStream.nullOutputStream()),
              false,
              Duration.ofHours(1));

  private static Map<String, Integer> rates() {
    Map<String, Integer> rates = new LinkedHashMap<>();
    rates.put("dgex", 350);
    rates.put("ssd", 50);
    rates.put("guesswhat", 100);
    // BEGAN's generation requests come on top of the 10,000: each asks for several images.
    rates.put("began-images", 2);
    return rates;
  }

  @Test
  void replayedStreamsGiveTheOriginalOutputsByteForByteAtMaxAndAtFourTimesSpeed() throws Exception {
    Map<String, String> client = Map.of("bootstrap.servers", kafka.bootstrapServers());
    Map<String, Long> produced;
    Map<String, Path> files = new LinkedHashMap<>();
    Map<String, Long> outputs = new HashMap<>();
    Map<String, Map<String, List<String>>> originals = new HashMap<>();
    try (Engine engine = Engine.start(settings("", ".max"))) {
      produced = liveRun(client);
      long total =
          produced.entrySet().stream()
              .filter(family -> !family.getKey().equals("began-images"))
              .mapToLong(Map.Entry::getValue)
              .sum();
      assertEquals(10_000, total);
      for (String family : RATES.keySet()) {
        Path file = dir.resolve(family + ".avro");
        Recorder.Result recorded =
            new Recorder(client)
                .record(
                    new Recorder.Request(
                        INPUTS.get(family),
                        List.of(),
                        "earliest",
                        "now",
                        file,
                        Recorder.Mode.CREATE,
                        CodecFactory.deflateCodec(6)),
                    QUIET);
        assertEquals(produced.get(family), recorded.recorded(), family + " recorded");
        files.put(family, file);
        outputs.put(family, outputsPerRecording(family, file));
        originals.put(family, outputsByKey(client, OUTPUTS.get(family), outputs.get(family)));
      }
      replayAll(client, files, "max", 0);
      assertReplayed(client, "max", originals, outputs);
    }
    // Replayed with no engine running, so that the pacing is measured alone; served after.
    Map<String, Replayer.Result> atFourTimes = replayAll(client, files, "x4", 4);
    for (String family : RATES.keySet()) {
      double quarter = recordedSpanMillis(files.get(family)) / 4.0;
      double took = atFourTimes.get(family).elapsed().toMillis();
      System.out.printf(
          "replay at speed 4: %s took %.0f ms, a quarter of the recorded span is %.0f ms (%+.1f%%)%n",
          family, took, quarter, 100 * (took - quarter) / quarter);
      assertTrue(
          Math.abs(took - quarter) <= 0.10 * quarter,
          family
              + " at speed 4 took "
              + took
              + " ms; a quarter of the recorded span is "
              + quarter
              + " ms");
    }
    try (Engine engine = Engine.start(settings(".x4"))) {
      assertReplayed(client, "x4", originals, outputs);
    }
  }

  private void assertReplayed(
      Map<String, String> client,
      String run,
      Map<String, Map<String, List<String>>> originals,
      Map<String, Long> outputs) {
    for (String family : RATES.keySet()) {
      String input = INPUTS.get(family) + "." + run;
      assertEquals(
          perPartition(client, INPUTS.get(family)),
          perPartition(client, input),
          family + " " + run + ": the replayed input keeps each partition's order");
      assertEquals(
          originals.get(family),
          outputsByKey(client, OUTPUTS.get(family) + "." + run, outputs.get(family)),
          family + " " + run + ": outputs of the replay differ from the originals");
    }
  }

  /** One output per input; BEGAN one per image asked for. */
  private static long outputsPerRecording(String family, Path file) throws Exception {
    long outputs = 0;
    AvroCodec<GenerationRequest> requests =
        AvroCodec.forType(GenerationRequest.class, WriterSchemas.v1());
    try (RecordingReader reader = RecordingReader.open(file)) {
      for (RecordedRecord record : reader) {
        outputs += family.equals("began-images") ? requests.decode(record.value()).getCount() : 1;
      }
    }
    return outputs;
  }

  /** Each family's demo records at its rate, all three at once, for the live run's length. */
  private Map<String, Long> liveRun(Map<String, String> client) throws Exception {
    ExecutorService feeders = Executors.newFixedThreadPool(RATES.size());
    Map<String, Future<Long>> sent = new LinkedHashMap<>();
    List<DemoSource> sources = new ArrayList<>();
    try {
      for (Map.Entry<String, Integer> rate : RATES.entrySet()) {
        DemoSource source =
            FamilyModules.discover().get(rate.getKey()).demo(Path.of("models")).orElseThrow();
        sources.add(source);
        long count = rate.getValue() * LIVE_RUN.toSeconds();
        sent.put(
            rate.getKey(),
            feeders.submit(
                () -> {
                  try (PacedProducer producer =
                      new PacedProducer(
                          client,
                          INPUTS.get(rate.getKey()),
                          rate.getValue(),
                          count,
                          n -> {
                            DemoSource.KeyedValue record = source.next().apply(n);
                            return new PacedProducer.Keyed(record.key(), record.value());
                          })) {
                    return producer.run();
                  }
                }));
      }
      Map<String, Long> counts = new LinkedHashMap<>();
      for (Map.Entry<String, Future<Long>> family : sent.entrySet()) {
        counts.put(family.getKey(), family.getValue().get());
      }
      return counts;
    } finally {
      feeders.shutdownNow();
      sources.forEach(DemoSource::close);
    }
  }

  private Map<String, Replayer.Result> replayAll(
      Map<String, String> client, Map<String, Path> files, String run, double speed)
      throws Exception {
    ExecutorService replayers = Executors.newFixedThreadPool(files.size());
    try {
      Map<String, Future<Replayer.Result>> futures = new LinkedHashMap<>();
      files.forEach(
          (family, file) ->
              futures.put(
                  family,
                  replayers.submit(
                      () ->
                          new Replayer(client)
                              .replay(
                                  new Replayer.Request(
                                      file,
                                      INPUTS.get(family) + "." + run,
                                      speed,
                                      Optional.empty(),
                                      "earliest",
                                      "now",
                                      Replayer.CaptureTime.KEEP,
                                      Optional.empty(),
                                      false),
                                  QUIET))));
      Map<String, Replayer.Result> results = new HashMap<>();
      for (Map.Entry<String, Future<Replayer.Result>> future : futures.entrySet()) {
        results.put(future.getKey(), future.getValue().get());
      }
      return results;
    } finally {
      replayers.shutdownNow();
    }
  }

  /** Sets of the same pipelines: the live one, one per replay; each with topics of its own. */
  private EngineSettings settings(String... suffixes) throws Exception {
    StringBuilder pipelines = new StringBuilder();
    for (String suffix : suffixes) {
      String name = suffix.isEmpty() ? "" : "-" + suffix.substring(1);
      pipelines.append(
          """
            - name: dgex%1$s
              family: dgex
              input: gene-panels%2$s
              output: gene-expression%2$s
            - name: ssd%1$s
              family: ssd
              input: frames%2$s
              output: detections%2$s
              intraOpThreads: 1
              batch:
                maxSize: 16
            - name: guesswhat%1$s
              family: guesswhat
              input: dialogue-turns%2$s
              output: dialogue-replies%2$s
              settings:
                stateTopic: dialogue-state%2$s
            - name: began%1$s
              family: began-images
              model: began-generator
              input: generation-requests%2$s
              output: generated-images%2$s
          """
              .formatted(name, suffix));
    }
    Path file =
        Files.writeString(
            dir.resolve("streaminfer.yaml"),
            """
            kafka:
              bootstrap.servers: %s
            models:
              dir: models
            ops:
              port: 0
              reportEverySeconds: 0
            pipelines:
            %s"""
                .formatted(kafka.bootstrapServers(), pipelines));
    return new ConfigLoader(FamilyModules.discover(), Map.of()).load(Optional.of(file));
  }

  /**
   * Reads a topic until it holds {@code expected} records (one output per input), then returns each
   * key's output values in order.
   */
  private static Map<String, List<String>> outputsByKey(
      Map<String, String> client, String topic, long expected) {
    List<ConsumerRecord<byte[], byte[]>> records = readUntil(client, topic, expected);
    Map<String, List<String>> byKey = new HashMap<>();
    HexFormat hex = HexFormat.of();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      byKey
          .computeIfAbsent(new String(record.key()), k -> new ArrayList<>())
          .add(hex.formatHex(record.value()));
    }
    return byKey;
  }

  private static Map<Integer, List<String>> perPartition(Map<String, String> client, String topic) {
    Map<Integer, List<String>> out = new HashMap<>();
    HexFormat hex = HexFormat.of();
    for (ConsumerRecord<byte[], byte[]> record : readUntil(client, topic, 0)) {
      out.computeIfAbsent(record.partition(), p -> new ArrayList<>())
          .add(new String(record.key()) + "|" + hex.formatHex(record.value()));
    }
    return out;
  }

  /** At least {@code expected} records (0: whatever the topic holds now), read_committed. */
  private static List<ConsumerRecord<byte[], byte[]>> readUntil(
      Map<String, String> client, String topic, long expected) {
    Map<String, Object> properties = new HashMap<>(client);
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      while (partitions.isEmpty() && System.nanoTime() < deadline) {
        consumer
            .partitionsFor(topic)
            .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        boolean atEnd = partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
        if (expected == 0 ? atEnd : records.size() >= expected) {
          break;
        }
      }
    }
    assertTrue(
        records.size() >= expected,
        topic + ": " + records.size() + " of " + expected + " records within the deadline");
    return records;
  }

  private static long recordedSpanMillis(Path file) throws Exception {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    try (RecordingReader reader = RecordingReader.open(file)) {
      for (RecordedRecord record : reader) {
        min = Math.min(min, record.timestamp());
        max = Math.max(max, record.timestamp());
      }
    }
    return max - min;
  }
}
