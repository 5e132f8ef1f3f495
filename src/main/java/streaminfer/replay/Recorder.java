package streaminfer.replay;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import streaminfer.client.Progress;
import streaminfer.replay.RecordingManifest.OffsetRange;
import streaminfer.stream.StreamPosition;

/**
 * Copies a range of a topic into a recording file. It reads committed records only, through an
 * assigned consumer (no consumer group: recording disturbs no one), and writes a block at least
 * every {@link #FLUSH_EVERY}, so a killed recorder loses at most that much work, and a resumed one
 * ({@link Mode#RESUME}) cuts the torn block off and continues after the last recorded offset of
 * each partition, up to the ranges the first run resolved.
 */
public final class Recorder {
  /** What to do with an existing file. */
  public enum Mode {
    CREATE,
    OVERWRITE,
    RESUME
  }

  /**
   * @param partitions the partitions to record; empty: all of the topic's
   */
  public record Request(
      String topic,
      List<Integer> partitions,
      String from,
      String to,
      Path out,
      Mode mode,
      CodecFactory codec) {}

  /** What one run wrote; {@code alreadyInFile} is what a resumed run found there. */
  public record Result(long recorded, long alreadyInFile, RecordingManifest manifest) {}

  static final Duration FLUSH_EVERY = Duration.ofMillis(500);
  private static final Duration POLL = Duration.ofMillis(200);

  private final Map<String, String> client;
  private volatile boolean stopped;

  /**
   * @param client Kafka client properties: bootstrap, security and any other the user gave
   */
  public Recorder(Map<String, String> client) {
    this.client = Map.copyOf(client);
  }

  /** Makes a running {@link #record} finish its file and return early (SIGTERM, Ctrl-C). */
  public void stop() {
    stopped = true;
  }

  /**
   * @throws RecordingExistsException if the file exists and the mode is {@link Mode#CREATE}
   */
  public Result record(Request request, Progress.Factory progress) throws IOException {
    boolean resuming = request.mode() == Mode.RESUME && Files.exists(request.out());
    if (request.mode() == Mode.CREATE && Files.exists(request.out())) {
      throw new RecordingExistsException(request.out());
    }
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      RecordingManifest manifest;
      Map<Integer, Long> next;
      long alreadyInFile;
      DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<>());
      if (resuming) {
        RecordingReader.Contents contents = recover(request.out());
        manifest = contents.manifest();
        if (!manifest.topic().equals(request.topic())) {
          throw new IllegalArgumentException(
              request.out() + " records topic " + manifest.topic() + ", not " + request.topic());
        }
        next = contents.nextOffsets();
        alreadyInFile = contents.records();
        writer.appendTo(request.out().toFile());
      } else {
        manifest = resolve(consumer, request);
        next = new HashMap<>();
        manifest.partitions().forEach((partition, range) -> next.put(partition, range.from()));
        alreadyInFile = 0;
        writer.setCodec(request.codec());
        writer.setMeta(RecordingFormat.MANIFEST_KEY, manifest.toJson());
        writer.create(RecordingFormat.SCHEMA, request.out().toFile());
        writer.flush();
      }
      try (writer;
          Progress bar =
              progress.start("record " + manifest.topic(), "records", manifest.maxRecords())) {
        bar.advance(alreadyInFile, 0);
        long recorded = copy(consumer, manifest, next, writer, bar);
        writer.fSync();
        return new Result(recorded, alreadyInFile, manifest);
      }
    }
  }

  private long copy(
      KafkaConsumer<byte[], byte[]> consumer,
      RecordingManifest manifest,
      Map<Integer, Long> next,
      DataFileWriter<GenericRecord> writer,
      Progress bar)
      throws IOException {
    Map<TopicPartition, Long> ends = new HashMap<>();
    manifest
        .partitions()
        .forEach(
            (partition, range) -> {
              if (next.get(partition) < range.to()) {
                ends.put(new TopicPartition(manifest.topic(), partition), range.to());
              }
            });
    consumer.assign(ends.keySet());
    ends.keySet().forEach(partition -> consumer.seek(partition, next.get(partition.partition())));
    long recorded = 0;
    long lastFlush = System.nanoTime();
    while (!ends.isEmpty() && !stopped) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        Long end = ends.get(partition);
        if (end == null || record.offset() >= end) {
          continue;
        }
        RecordedRecord recordedRecord = RecordedRecord.of(record);
        writer.append(recordedRecord.toAvro());
        recorded++;
        bar.advance(1, recordedRecord.sizeInBytes());
      }
      List<TopicPartition> finished = new ArrayList<>();
      for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
        if (consumer.position(end.getKey()) >= end.getValue()) {
          finished.add(end.getKey());
        }
      }
      if (!finished.isEmpty()) {
        finished.forEach(ends::remove);
        consumer.assign(ends.keySet());
      }
      if (System.nanoTime() - lastFlush >= FLUSH_EVERY.toNanos()) {
        writer.flush();
        lastFlush = System.nanoTime();
      }
    }
    writer.flush();
    return recorded;
  }

  private RecordingManifest resolve(KafkaConsumer<byte[], byte[]> consumer, Request request) {
    List<PartitionInfo> infos = consumer.partitionsFor(request.topic(), Duration.ofSeconds(30));
    if (infos == null || infos.isEmpty()) {
      throw new IllegalArgumentException("topic " + request.topic() + " does not exist");
    }
    List<TopicPartition> partitions = new ArrayList<>();
    for (PartitionInfo info : infos) {
      if (request.partitions().isEmpty() || request.partitions().contains(info.partition())) {
        partitions.add(new TopicPartition(request.topic(), info.partition()));
      }
    }
    for (int wanted : request.partitions()) {
      if (infos.stream().noneMatch(info -> info.partition() == wanted)) {
        throw new IllegalArgumentException(
            "topic " + request.topic() + " has no partition " + wanted);
      }
    }
    Map<TopicPartition, Long> from =
        StreamPosition.parse(request.from()).resolve(consumer, partitions);
    Map<TopicPartition, Long> to = StreamPosition.parse(request.to()).resolve(consumer, partitions);
    Map<Integer, OffsetRange> ranges = new TreeMap<>();
    for (TopicPartition partition : partitions) {
      long start = from.get(partition);
      ranges.put(partition.partition(), new OffsetRange(start, Math.max(start, to.get(partition))));
    }
    return new RecordingManifest(
        request.topic(), ranges, request.from(), request.to(), Instant.now().toString());
  }

  /** Cuts a torn last block off and says where each partition's recording stopped. */
  private static RecordingReader.Contents recover(Path file) throws IOException {
    long complete = RecordingFormat.completeLength(file);
    if (complete < Files.size(file)) {
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
        channel.truncate(complete);
      }
    }
    try (RecordingReader reader = RecordingReader.open(file)) {
      return reader.contents();
    }
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    Map<String, Object> properties = new HashMap<>(client);
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
    properties.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "streaminfer-record");
    return new KafkaConsumer<>(
        properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }
}
