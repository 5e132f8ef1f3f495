package streaminfer.stream;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import streaminfer.broker.Topics;

/**
 * Runs records through the Kafka clients' produce and fetch paths, on a topic of the engine's own,
 * before the pipelines consume: in a fresh JVM those paths are interpreted and their first records
 * wait for class loading and the JIT, which a camera sees as a latency spike. The topic (one
 * partition, short retention) holds nothing of the user's; the pipelines' topics are not touched.
 */
public final class KafkaWarmup {
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final int VALUE_BYTES = 1024;

  private KafkaWarmup() {}

  /** Produces {@code records} records to {@code topic} and reads them back; returns how long. */
  public static Duration run(Map<String, String> client, String topic, int records) {
    long started = System.nanoTime();
    Topics.ensure(client, List.of(topic), 1, Map.of(TopicConfig.RETENTION_MS_CONFIG, "600000"));
    TopicPartition partition = new TopicPartition(topic, 0);
    Map<String, Object> consumerProps = new HashMap<>(client);
    consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    Map<String, Object> producerProps = new HashMap<>(client);
    producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
    producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    producerProps.put(ProducerConfig.LINGER_MS_CONFIG, "2");
    try (KafkaConsumer<String, byte[]> consumer =
            new KafkaConsumer<>(
                consumerProps, new StringDeserializer(), new ByteArrayDeserializer());
        KafkaProducer<String, byte[]> producer =
            new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer())) {
      consumer.assign(List.of(partition));
      consumer.seekToEnd(List.of(partition));
      consumer.position(partition);
      byte[] value = new byte[VALUE_BYTES];
      int read = 0;
      long end = System.nanoTime() + DEADLINE.toNanos();
      for (int sent = 0; sent < records; sent++) {
        producer.send(new ProducerRecord<>(topic, "warmup-" + sent, value));
        if (sent % 100 == 99) {
          producer.flush();
          read += consumer.poll(Duration.ZERO).count();
        }
      }
      producer.flush();
      while (read < records && System.nanoTime() < end) {
        read += consumer.poll(Duration.ofMillis(50)).count();
      }
    }
    return Duration.ofNanos(System.nanoTime() - started);
  }
}
