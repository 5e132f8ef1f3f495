package streaminfer.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import streaminfer.broker.Topics;
import streaminfer.client.Progress;

/**
 * A benchmark phase's topics: the input is filled before the phase starts, and the phase is timed
 * from its first output to its last by watching the output topic's end offsets, so consumer-group
 * start-up is not counted and no reader competes for the CPU.
 */
public final class Backlog implements AutoCloseable {
  /** A record to put in the backlog. */
  public record Keyed(String key, byte[] value) {}

  private final String bootstrap;
  private final Admin admin;
  private final int partitions;
  private final Progress.Factory progress;

  /** A backlog whose timed phases show their progress on standard output. */
  public Backlog(String bootstrap, int partitions) {
    this(bootstrap, partitions, Progress.STDOUT);
  }

  public Backlog(String bootstrap, int partitions, Progress.Factory progress) {
    this.bootstrap = bootstrap;
    this.partitions = partitions;
    this.progress = progress;
    this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
  }

  /** A consumer in its own group, subscribed to {@code topic} from its first record. */
  public static KafkaConsumer<String, byte[]> readerFromStart(
      String bootstrap, String topic, String group) {
    return readerFromStart(
        Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), topic, group);
  }

  /** As {@link #readerFromStart(String, String, String)}, with the user's client properties. */
  public static KafkaConsumer<String, byte[]> readerFromStart(
      Map<String, String> client, String topic, String group) {
    Map<String, Object> properties = new java.util.HashMap<>(client);
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(topic));
    return consumer;
  }

  /** Creates the phase's topics (input, output, the input's dead letters) and fills the input. */
  public void fill(String topic, String outputTopic, long count, LongFunction<Keyed> records) {
    fill(topic, outputTopic, count, records, false);
  }

  /**
   * As {@link #fill(String, String, long, LongFunction)}; with {@code roundRobin} the n-th record
   * goes to partition n mod partitions whatever its key, so a feed with few keys (one camera) still
   * spreads over every partition, as many keys would.
   */
  public void fill(
      String topic,
      String outputTopic,
      long count,
      LongFunction<Keyed> records,
      boolean roundRobin) {
    Topics.ensure(bootstrap, List.of(topic, outputTopic, topic + ".dlq"), partitions);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.LINGER_MS_CONFIG,
                "10",
                ProducerConfig.BATCH_SIZE_CONFIG,
                Integer.toString(256 * 1024)),
            new StringSerializer(),
            new ByteArraySerializer())) {
      for (long i = 0; i < count; i++) {
        Keyed record = records.apply(i);
        Integer partition = roundRobin ? (int) (i % partitions) : null;
        producer.send(new ProducerRecord<>(topic, partition, record.key(), record.value()));
      }
      producer.flush();
    }
  }

  /**
   * Waits until {@code outputTopic} holds {@code expected} records; the rate counts the records
   * after the first one seen, over the time since it was seen.
   */
  public Throughput timeUntil(String phase, String outputTopic, long expected, Duration deadline)
      throws Exception {
    return timeUntil(phase, outputTopic, 0, expected, deadline);
  }

  /**
   * As {@link #timeUntil(String, String, long, Duration)}, but the clock starts only once {@code
   * warmup} outputs are there: the first records pay for class loading and JIT compilation.
   */
  public Throughput timeUntil(
      String phase, String outputTopic, long warmup, long expected, Duration deadline)
      throws Exception {
    long end = System.nanoTime() + deadline.toNanos();
    long firstSeenAt = 0;
    long firstCount = 0;
    long firstCpu = 0;
    long shown = 0;
    try (Progress bar = progress.start(phase, "outputs", expected)) {
      while (true) {
        long count = endOffsets(outputTopic);
        long now = System.nanoTime();
        bar.advance(Math.max(0, Math.min(count, expected) - shown), 0);
        shown = Math.max(shown, Math.min(count, expected));
        if (firstSeenAt == 0 && count >= Math.max(1, warmup)) {
          firstSeenAt = now;
          firstCount = count;
          firstCpu = Throughput.processCpuNanos();
        }
        if (count >= expected) {
          double seconds = Math.max(1e-3, (now - firstSeenAt) / 1e9);
          return new Throughput(
              phase, count - firstCount, seconds, (Throughput.processCpuNanos() - firstCpu) / 1e9);
        }
        if (now > end) {
          throw new IllegalStateException(
              phase + ": only " + count + " of " + expected + " outputs after " + deadline);
        }
        TimeUnit.MILLISECONDS.sleep(20);
      }
    }
  }

  /**
   * Times from now until {@code group} has committed {@code expected} input records: what is done
   * for good, in either delivery mode (an exactly-once output topic's end offsets also count
   * transaction markers, and its commits come in steps too coarse to start a clock on).
   */
  public Throughput timeUntilCommitted(String phase, String group, long expected, Duration deadline)
      throws Exception {
    long start = System.nanoTime();
    long startCpu = Throughput.processCpuNanos();
    long end = start + deadline.toNanos();
    while (true) {
      long count = committedOffsets(group);
      long now = System.nanoTime();
      if (count >= expected) {
        return new Throughput(
            phase, count, (now - start) / 1e9, (Throughput.processCpuNanos() - startCpu) / 1e9);
      }
      if (now > end) {
        throw new IllegalStateException(
            phase + ": only " + count + " of " + expected + " committed after " + deadline);
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }

  /**
   * Deletes a phase's topics, so the next phase finds the broker as this one did (deleting also
   * drops their pages from the page cache instead of leaving them to write back).
   */
  public void delete(String... topics) throws Exception {
    List<String> names = new java.util.ArrayList<>();
    for (String topic : topics) {
      names.add(topic);
      names.add(topic + ".dlq");
    }
    admin
        .deleteTopics(names)
        .topicNameValues()
        .values()
        .forEach(
            future -> {
              try {
                future.get(30, TimeUnit.SECONDS);
              } catch (Exception e) {
                // A topic that never existed (an output .dlq) is fine to miss.
              }
            });
  }

  private long committedOffsets(String group) throws Exception {
    return admin
        .listConsumerGroupOffsets(group)
        .partitionsToOffsetAndMetadata()
        .get(10, TimeUnit.SECONDS)
        .values()
        .stream()
        .filter(Objects::nonNull)
        .mapToLong(OffsetAndMetadata::offset)
        .sum();
  }

  private long endOffsets(String topic) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    return admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).values().stream()
        .mapToLong(info -> info.offset())
        .sum();
  }

  @Override
  public void close() {
    admin.close();
  }
}
