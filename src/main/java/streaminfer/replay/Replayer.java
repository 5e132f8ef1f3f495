package streaminfer.replay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import streaminfer.broker.Topics;
import streaminfer.client.Progress;

/**
 * Publishes a recording to a topic: keys, values and headers as recorded, recorded partition {@code
 * p} to partition {@code p} (modulo the topic's partitions), with the recorded gaps between records
 * divided by the speed, or as fast as the broker takes them. Records go out in Kafka transactions
 * that also commit the replay's checkpoint, so an interrupted replay run again continues where it
 * stopped, with nothing lost or repeated. Replayed records get the broker's current time as their
 * Kafka timestamp: recorded timestamps would make time-based retention delete them at once.
 */
public final class Replayer {
  /** A replayed frame's capture time: as recorded, or moved forward to the replay's time. */
  public enum CaptureTime {
    KEEP,
    RESTAMP
  }

  /**
   * @param speed how many times faster than recorded; 0: as fast as the broker takes them
   * @param key only records with this key; empty: all
   * @param from the first recorded record to replay (an offset per partition, or a time)
   * @param to where to stop (exclusive)
   * @param replayId names the replay's checkpoint; empty: made from the file, topic and filters
   * @param restart ignore the checkpoint and replay from the start
   */
  public record Request(
      Path in,
      String topic,
      double speed,
      Optional<String> key,
      String from,
      String to,
      CaptureTime captureTime,
      Optional<String> replayId,
      boolean restart) {}

  /**
   * What one run did.
   *
   * @param elapsed from the first record sent to the last transaction committed (setup, such as
   *     fencing an earlier run and reading the checkpoint, comes before)
   */
  public record Result(
      String replayId, long sent, long skippedAsReplayed, boolean complete, Duration elapsed) {}

  static final Duration COMMIT_EVERY = Duration.ofMillis(200);
  private static final int COMMIT_RECORDS = 5_000;
  private static final int MERGE_RECORDS = 20_000;
  private static final long MERGE_BYTES = 64L << 20;
  private static final Duration SLEEP_AT_MOST = Duration.ofMillis(20);

  private final Map<String, String> client;
  private volatile boolean stopped;

  /**
   * @param client Kafka client properties: bootstrap, security and any other the user gave
   */
  public Replayer(Map<String, String> client) {
    this.client = Map.copyOf(client);
  }

  /** Makes a running {@link #replay} commit what it sent and return (SIGTERM, Ctrl-C). */
  public void stop() {
    stopped = true;
  }

  public Result replay(Request request, Progress.Factory progress) throws IOException {
    String replayId = request.replayId().orElseGet(() -> defaultId(request));
    String group = "streaminfer-replay-" + replayId;
    RecordFilter filter = RecordFilter.of(request.key(), request.from(), request.to());
    CaptureTimeRestamper restamper =
        request.captureTime() == CaptureTime.RESTAMP ? new CaptureTimeRestamper() : null;
    try (RecordingReader reader = RecordingReader.open(request.in())) {
      if (reader.tornBytes() > 0) {
        System.err.printf(
            "%s ends in a torn block (%,d bytes, a recorder was killed): replaying up to the last"
                + " complete block%n",
            request.in(), reader.tornBytes());
      }
      RecordingManifest manifest = reader.manifest();
      int recordedPartitions =
          manifest.partitions().keySet().stream().mapToInt(p -> p + 1).max().orElse(1);
      Topics.ensure(client, List.of(request.topic()), recordedPartitions, Map.of());
      try (KafkaProducer<byte[], byte[]> producer = producer(replayId)) {
        // Fences an earlier run of this replay and aborts its open transaction before the
        // checkpoint is read, so the checkpoint read is the last one that committed.
        producer.initTransactions();
        ReplayCheckpoint checkpoint =
            request.restart() ? ReplayCheckpoint.START : checkpoint(group, request.topic());
        if (checkpoint.done()) {
          return new Result(replayId, 0, checkpoint.sent(), true, Duration.ZERO);
        }
        int targetPartitions = producer.partitionsFor(request.topic()).size();
        Run run =
            new Run(
                producer,
                request.topic(),
                groupMetadata(group),
                targetPartitions,
                checkpoint,
                restamper);
        try (Progress bar =
            progress.start("replay " + request.topic(), "records", manifest.maxRecords())) {
          TimestampMerge records =
              new TimestampMerge(reader.iterator(), MERGE_RECORDS, MERGE_BYTES);
          long start = System.nanoTime();
          boolean complete = run.send(records, filter, request.speed(), bar);
          return new Result(
              replayId,
              run.sent,
              run.skipped,
              complete,
              Duration.ofNanos(System.nanoTime() - start));
        }
      }
    }
  }

  /** One run's sending: pacing, transactions and the checkpoint they carry. */
  private final class Run {
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final ConsumerGroupMetadata groupMetadata;
    private final int targetPartitions;
    private final CaptureTimeRestamper restamper;
    private final Map<Integer, Long> next;
    private final long sentBefore;
    private long sent;
    private long skipped;
    private int inTransaction;
    private long transactionStart;

    Run(
        KafkaProducer<byte[], byte[]> producer,
        String topic,
        ConsumerGroupMetadata groupMetadata,
        int targetPartitions,
        ReplayCheckpoint checkpoint,
        CaptureTimeRestamper restamper) {
      this.producer = producer;
      this.topic = topic;
      this.groupMetadata = groupMetadata;
      this.targetPartitions = targetPartitions;
      this.restamper = restamper;
      this.next = new HashMap<>(checkpoint.next());
      this.sentBefore = checkpoint.sent();
    }

    /** Returns whether the whole recording was replayed. */
    boolean send(TimestampMerge records, RecordFilter filter, double speed, Progress bar) {
      long paceStart = System.nanoTime();
      Long firstTimestamp = null;
      begin();
      boolean complete = true;
      while (records.hasNext()) {
        if (stopped) {
          complete = false;
          break;
        }
        TimestampMerge.Timed timed = records.next();
        RecordedRecord record = timed.record();
        if (record.offset() < next.getOrDefault(record.partition(), Long.MIN_VALUE)) {
          skipped++;
          bar.advance(1, 0);
          continue;
        }
        if (!filter.accepts(record)) {
          next.put(record.partition(), record.offset() + 1);
          bar.advance(1, 0);
          continue;
        }
        if (speed > 0) {
          if (firstTimestamp == null) {
            firstTimestamp = timed.timestamp();
          }
          long due =
              paceStart
                  + (long)
                      ((timed.timestamp() - firstTimestamp)
                          * TimeUnit.MILLISECONDS.toNanos(1)
                          / speed);
          waitUntil(due);
        }
        producer.send(toProducerRecord(record));
        next.put(record.partition(), record.offset() + 1);
        sent++;
        inTransaction++;
        bar.advance(1, record.sizeInBytes());
        if (inTransaction >= COMMIT_RECORDS || transactionAge() >= COMMIT_EVERY.toNanos()) {
          commit(false);
          begin();
        }
      }
      commit(complete);
      return complete;
    }

    private ProducerRecord<byte[], byte[]> toProducerRecord(RecordedRecord record) {
      byte[] value =
          restamper == null
              ? record.value()
              : restamper.restamp(record, System.currentTimeMillis());
      ProducerRecord<byte[], byte[]> out =
          new ProducerRecord<>(
              topic, record.partition() % targetPartitions, null, record.key(), value);
      record.headers().forEach(h -> out.headers().add(new RecordHeader(h.key(), h.value())));
      return out;
    }

    /** Sleeps until {@code due}, committing a transaction that would otherwise wait with it. */
    private void waitUntil(long due) {
      long wait;
      while ((wait = due - System.nanoTime()) > 0 && !stopped) {
        if (inTransaction > 0 && transactionAge() >= COMMIT_EVERY.toNanos()) {
          commit(false);
          begin();
        }
        try {
          TimeUnit.NANOSECONDS.sleep(Math.min(wait, SLEEP_AT_MOST.toNanos()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          stopped = true;
        }
      }
    }

    private long transactionAge() {
      return System.nanoTime() - transactionStart;
    }

    private void begin() {
      producer.beginTransaction();
      inTransaction = 0;
      transactionStart = System.nanoTime();
    }

    private void commit(boolean done) {
      ReplayCheckpoint checkpoint = new ReplayCheckpoint(next, sentBefore + sent, done);
      producer.sendOffsetsToTransaction(
          Map.of(
              new TopicPartition(topic, 0),
              new OffsetAndMetadata(checkpoint.sent(), checkpoint.toJson())),
          groupMetadata);
      producer.commitTransaction();
    }
  }

  private ReplayCheckpoint checkpoint(String group, String topic) {
    try (Admin admin = Admin.create(new HashMap<String, Object>(client))) {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin
              .listConsumerGroupOffsets(
                  group, new ListConsumerGroupOffsetsOptions().requireStable(true))
              .partitionsToOffsetAndMetadata()
              .get(30, TimeUnit.SECONDS);
      OffsetAndMetadata stored = offsets.get(new TopicPartition(topic, 0));
      return stored == null ? ReplayCheckpoint.START : ReplayCheckpoint.fromJson(stored.metadata());
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("cannot read the checkpoint of replay group " + group, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted reading the replay checkpoint", e);
    }
  }

  /**
   * The replay group's metadata for committing its checkpoint: a consumer that never joins the
   * group (it has no members) describes it.
   */
  private ConsumerGroupMetadata groupMetadata(String group) {
    Map<String, Object> properties = new HashMap<>(client);
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      return consumer.groupMetadata();
    }
  }

  private KafkaProducer<byte[], byte[]> producer(String replayId) {
    Map<String, Object> properties = new HashMap<>(client);
    properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "streaminfer-replay-" + replayId);
    properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    properties.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
    properties.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "streaminfer-replay");
    // A transaction's first records often meet the last one's commit markers still being written
    // (CONCURRENT_TRANSACTIONS); the default backoff, doubling to a second, would stall every
    // commit interval.
    properties.putIfAbsent(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "5");
    properties.putIfAbsent(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, "50");
    return new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** The same file, topic and filters name the same replay, so running it again resumes it. */
  static String defaultId(Request request) {
    String identity =
        String.join(
            "|",
            request.in().toAbsolutePath().normalize().toString(),
            request.topic(),
            request.key().orElse(""),
            request.from(),
            request.to(),
            request.captureTime().name());
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
