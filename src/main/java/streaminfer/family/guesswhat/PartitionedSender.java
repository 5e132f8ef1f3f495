package streaminfer.family.guesswhat;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The dialogue pipeline's own writes (game states, eviction notices) to an explicit partition, the
 * one of the game's turns, acknowledged by all replicas before the future completes.
 */
final class PartitionedSender implements AutoCloseable {
  private final KafkaProducer<String, byte[]> producer;

  PartitionedSender(Map<String, String> kafka) {
    Map<String, Object> props = new HashMap<>(kafka);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "1");
    this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  /** A null value is a tombstone. */
  CompletableFuture<Void> send(String topic, int partition, String key, byte[] value) {
    CompletableFuture<Void> sent = new CompletableFuture<>();
    producer.send(
        new ProducerRecord<>(topic, partition, key, value),
        (metadata, error) -> {
          if (error == null) {
            sent.complete(null);
          } else {
            sent.completeExceptionally(error);
          }
        });
    return sent;
  }

  @Override
  public void close() {
    producer.close();
  }
}
