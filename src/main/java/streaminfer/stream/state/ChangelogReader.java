package streaminfer.stream.state;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads one changelog partition from its beginning to the end offset it had when the read began:
 * the latest value of every key, tombstoned keys left out.
 *
 * <p>Threading: blocking; runs on the restore thread, never on an event loop.
 */
final class ChangelogReader {
  private static final Duration POLL = Duration.ofMillis(200);
  private final Map<String, String> kafka;

  ChangelogReader(Map<String, String> kafka) {
    this.kafka = Map.copyOf(kafka);
  }

  Map<String, byte[]> read(String topic, int partition) {
    Map<String, Object> props = new HashMap<>(kafka);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    TopicPartition source = new TopicPartition(topic, partition);
    Map<String, byte[]> latest = new HashMap<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(source));
      consumer.seekToBeginning(List.of(source));
      long end = consumer.endOffsets(List.of(source)).get(source);
      while (consumer.position(source) < end) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
          if (record.value() == null) {
            latest.remove(record.key());
          } else {
            latest.put(record.key(), record.value());
          }
        }
      }
    }
    return latest;
  }
}
