package streaminfer.client;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import streaminfer.broker.Topics;

/**
 * Sends records, made on demand by number, to a topic at a steady rate (0: as fast as the broker
 * takes them); creates the topic if it is missing.
 */
public final class PacedProducer implements AutoCloseable {
  /** One record to send. */
  public record Keyed(String key, byte[] value) {}

  private static final int DEFAULT_PARTITIONS = 3;

  private final KafkaProducer<String, byte[]> producer;
  private final String topic;
  private final int ratePerSecond;
  private final long count;
  private final LongFunction<Keyed> records;
  private volatile boolean closed;
  private Thread thread;

  public PacedProducer(
      String bootstrap, String topic, int ratePerSecond, long count, LongFunction<Keyed> records) {
    this(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
        topic,
        ratePerSecond,
        count,
        records);
  }

  /**
   * @param client Kafka client properties: bootstrap, security and any other the user gave
   */
  public PacedProducer(
      Map<String, String> client,
      String topic,
      int ratePerSecond,
      long count,
      LongFunction<Keyed> records) {
    Topics.ensure(client, List.of(topic), DEFAULT_PARTITIONS, Map.of());
    Map<String, Object> properties = new HashMap<>(client);
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    properties.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    this.producer =
        new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
    this.topic = topic;
    this.ratePerSecond = ratePerSecond;
    this.count = count;
    this.records = records;
  }

  /** Sends {@code count} records on the calling thread; returns how many were sent. */
  public long run() {
    long start = System.nanoTime();
    long sent = 0;
    for (; sent < count && !closed; sent++) {
      if (ratePerSecond > 0) {
        long due = start + sent * TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          try {
            TimeUnit.NANOSECONDS.sleep(wait);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            break;
          }
        }
      }
      Keyed record = records.apply(sent);
      producer.send(new ProducerRecord<>(topic, record.key(), record.value()));
    }
    producer.flush();
    return sent;
  }

  /** Runs {@link #run} on a daemon thread of this name; {@link #close} stops it. */
  public void startInBackground(String name) {
    thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() {
    closed = true;
    if (thread != null) {
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    producer.close();
  }
}
