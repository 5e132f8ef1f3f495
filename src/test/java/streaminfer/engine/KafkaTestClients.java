package streaminfer.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import streaminfer.broker.Topics;

/** Plain Kafka clients, as an external user of the wire contract would write them. */
final class KafkaTestClients {
  private KafkaTestClients() {}

  static void produce(String bootstrap, String topic, List<Map.Entry<String, byte[]>> records) {
    produce(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), topic, records);
  }

  /** As {@link #produce(String, String, List)}, with any client properties (security...). */
  static void produce(
      Map<String, String> client, String topic, List<Map.Entry<String, byte[]>> records) {
    Topics.ensure(client, List.of(topic), 3, Map.of());
    Map<String, Object> properties = new HashMap<>(client);
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    properties.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer())) {
      for (Map.Entry<String, byte[]> record : records) {
        producer.send(new ProducerRecord<>(topic, record.getKey(), record.getValue()));
      }
      producer.flush();
    }
  }

  /**
   * Reads the topic from the beginning until {@code done} holds for what was read, or fails when
   * the deadline passes first.
   */
  static List<ConsumerRecord<String, byte[]>> consumeUntil(
      String bootstrap,
      String topic,
      Duration deadline,
      Predicate<List<ConsumerRecord<String, byte[]>>> done) {
    return consumeUntil(
        Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), topic, deadline, done);
  }

  /** As {@link #consumeUntil(String, String, Duration, Predicate)}, with any client properties. */
  static List<ConsumerRecord<String, byte[]>> consumeUntil(
      Map<String, String> client,
      String topic,
      Duration deadline,
      Predicate<List<ConsumerRecord<String, byte[]>>> done) {
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    Map<String, Object> properties = new HashMap<>(client);
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + System.nanoTime());
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long end = System.nanoTime() + deadline.toNanos();
      while (!done.test(records)) {
        if (System.nanoTime() > end) {
          throw new AssertionError(
              "gave up on "
                  + topic
                  + " after "
                  + deadline
                  + " with "
                  + records.size()
                  + " records");
        }
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }
}
