package streaminfer.stream;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import streaminfer.broker.Topics;

/**
 * Runs records through the same Vert.x Kafka clients the pipelines use, on a topic of the engine's
 * own, before the pipelines consume: in a fresh JVM the produce and fetch paths are interpreted and
 * their first records wait for class loading and the JIT, which a camera sees as a latency spike.
 * The topic (one partition, short retention) holds nothing of the user's; no consumer group is
 * joined, and the pipelines' topics are not touched.
 */
public final class KafkaWarmup {
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final int VALUE_BYTES = 1024;

  private KafkaWarmup() {}

  /** Produces {@code records} records to {@code topic} and reads them back; returns how long. */
  public static Duration run(Vertx vertx, Map<String, String> client, String topic, int records) {
    long started = System.nanoTime();
    Topics.ensure(client, List.of(topic), 1, Map.of(TopicConfig.RETENTION_MS_CONFIG, "600000"));
    Map<String, String> consumerProps = new HashMap<>(client);
    consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    Map<String, String> producerProps = new HashMap<>(client);
    producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
    producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    producerProps.put(ProducerConfig.LINGER_MS_CONFIG, "2");
    KafkaConsumer<String, byte[]> consumer =
        KafkaConsumer.create(
            vertx, consumerProps, new StringDeserializer(), new ByteArrayDeserializer());
    KafkaProducer<String, byte[]> producer =
        KafkaProducer.create(
            vertx, producerProps, new StringSerializer(), new ByteArraySerializer());
    try {
      TopicPartition partition = new TopicPartition(topic, 0);
      CompletableFuture<Void> allRead = new CompletableFuture<>();
      AtomicInteger read = new AtomicInteger();
      consumer.handler(
          record -> {
            if (read.incrementAndGet() == records) {
              allRead.complete(null);
            }
          });
      await(consumer.assign(partition));
      // From the end as it is now: earlier warm-ups' records are not read again.
      long end = await(consumer.endOffsets(partition));
      await(consumer.seek(partition, end));
      byte[] value = new byte[VALUE_BYTES];
      List<Future<?>> sent = new ArrayList<>();
      for (int i = 0; i < records; i++) {
        sent.add(producer.send(KafkaProducerRecord.create(topic, "warmup-" + i, value)));
      }
      await(Future.all(sent));
      allRead.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while warming up the Kafka clients", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("warming up the Kafka clients on " + topic + " failed", e);
    } finally {
      await(consumer.close());
      await(producer.close());
    }
    return Duration.ofNanos(System.nanoTime() - started);
  }

  private static <T> T await(Future<T> future) {
    try {
      return future
          .toCompletionStage()
          .toCompletableFuture()
          .get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while warming up the Kafka clients", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("warming up the Kafka clients failed", e);
    }
  }
}
