package streaminfer.compare;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import streaminfer.config.ConfigException;

/**
 * Reads a whole result topic once, from the beginning of every partition to its end offset as of a
 * {@link Snapshot} taken first (for both topics before either is read): records written meanwhile
 * are left out, so a comparison sees one fixed moment of both. The consumer is assigned its
 * partitions and belongs to no consumer group, so it commits nothing and disturbs no one; it reads
 * committed records only (aborted transactions of an exactly-once pipeline are not results).
 */
public final class ResultTopicReader {
  private static final Duration POLL = Duration.ofMillis(200);

  /** Receives one record's key and value, on the reading thread, in partition order. */
  @FunctionalInterface
  public interface Sink {
    void accept(String key, byte[] value);
  }

  private final Map<String, String> client;
  private final Duration idleTimeout;

  /**
   * @param client Kafka client properties (bootstrap servers, security), passed through unchanged
   * @param idleTimeout how long a read may go without progress before it fails
   */
  public ResultTopicReader(Map<String, String> client, Duration idleTimeout) {
    this.client = Map.copyOf(client);
    this.idleTimeout = idleTimeout;
  }

  /** A topic's end offsets at one moment: what a later {@link #read(Snapshot, Sink)} stops at. */
  public record Snapshot(String topic, Map<TopicPartition, Long> endOffsets) {
    public Snapshot {
      endOffsets = Map.copyOf(endOffsets);
    }
  }

  /**
   * The end offsets of every partition of {@code topic} now: under read_committed, the last stable
   * offsets, so nothing past them is a result yet.
   *
   * @param option the command-line option that named the topic, for errors
   * @throws ConfigException if the topic does not exist
   * @throws TopicReadException if the broker does not answer within {@code idleTimeout}
   */
  public Snapshot snapshot(String option, String topic) {
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, idleTimeout);
      if (infos == null || infos.isEmpty()) {
        throw new ConfigException(option, "topic '" + topic + "' does not exist");
      }
      List<TopicPartition> partitions = new ArrayList<>();
      infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
      return new Snapshot(topic, consumer.endOffsets(partitions, idleTimeout));
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw new TopicReadException("timed out asking for " + topic + ": " + e.getMessage(), e);
    } catch (KafkaException e) {
      throw new TopicReadException("cannot ask for " + topic + ": " + e.getMessage(), e);
    }
  }

  /** As {@link #read(Snapshot, Sink)} from a snapshot taken now. */
  public long read(String option, String topic, Sink sink) {
    return read(snapshot(option, topic), sink);
  }

  /**
   * Reads the snapshot's topic from the beginning to its end offsets into {@code sink}; records
   * written after the snapshot are left out.
   *
   * @return how many records were read
   * @throws TopicReadException if the broker stops answering for {@code idleTimeout}
   */
  public long read(Snapshot snapshot, Sink sink) {
    String topic = snapshot.topic();
    Map<TopicPartition, Long> end = snapshot.endOffsets();
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      List<TopicPartition> partitions = new ArrayList<>(end.keySet());
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      List<TopicPartition> remaining = new ArrayList<>();
      for (TopicPartition partition : partitions) {
        if (consumer.position(partition, idleTimeout) < end.get(partition)) {
          remaining.add(partition);
        } else {
          consumer.pause(Set.of(partition));
        }
      }
      long read = 0;
      long lastProgress = System.nanoTime();
      while (!remaining.isEmpty()) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
          TopicPartition partition = new TopicPartition(record.topic(), record.partition());
          if (record.offset() < end.get(partition)) {
            sink.accept(record.key(), record.value());
            read++;
            lastProgress = System.nanoTime();
          }
        }
        for (int i = remaining.size() - 1; i >= 0; i--) {
          TopicPartition partition = remaining.get(i);
          if (consumer.position(partition, idleTimeout) >= end.get(partition)) {
            consumer.pause(Set.of(partition));
            remaining.remove(i);
            lastProgress = System.nanoTime();
          }
        }
        if (!remaining.isEmpty() && System.nanoTime() - lastProgress > idleTimeout.toNanos()) {
          throw new TopicReadException(
              "no progress reading "
                  + topic
                  + " for "
                  + idleTimeout.toSeconds()
                  + " s; still to read: "
                  + remaining,
              null);
        }
      }
      return read;
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw new TopicReadException("timed out reading " + topic + ": " + e.getMessage(), e);
    } catch (KafkaException e) {
      throw new TopicReadException("cannot read " + topic + ": " + e.getMessage(), e);
    }
  }

  private KafkaConsumer<String, byte[]> consumer() {
    Map<String, Object> properties = new HashMap<>(client);
    properties.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "streaminfer-compare");
    properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer());
  }
}
