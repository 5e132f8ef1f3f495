package streaminfer.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import streaminfer.broker.KafkaBroker;
import streaminfer.broker.Topics;

/** The pipeline's consumer on a real broker: what its polls may and may not hand out. */
class FencingConsumerTest {
  private static final int RECORDS = 50;

  @RegisterExtension final KafkaBroker broker = new KafkaBroker();

  @Test
  void aKeepAlivePollNeverReturnsRecordsEvenAfterTheHoldIsLifted() {
    produce();
    try (FencingConsumer consumer = consumer()) {
      consumer.hold(false);
      consumer.subscribe(List.of("in"));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      int keepAlives = 0;
      // Joins the group and fetches through keep-alive polls alone; none may hand a record out.
      while (consumer.assignment().isEmpty() || keepAlives < 20) {
        assertTrue(System.nanoTime() < deadline, "the consumer never joined its group");
        ConsumerRecords<String, byte[]> records = consumer.poll(FencingConsumer.KEEP_ALIVE);
        assertEquals(0, records.count(), "a keep-alive poll returned records");
        keepAlives++;
        sleep(50);
      }
      assertEquals(offsets(0, RECORDS), offsetsPolled(consumer), "first offset to last");
    }
  }

  @Test
  void aHeldConsumerStaysInItsGroupWithoutRecordsAndResumesWhereItStopped() {
    produce();
    try (FencingConsumer consumer = consumer()) {
      consumer.hold(true);
      consumer.subscribe(List.of("in"));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (consumer.assignment().isEmpty()) {
        assertTrue(System.nanoTime() < deadline, "the consumer never joined its group");
        assertEquals(0, consumer.poll(Duration.ofMillis(100)).count(), "a held poll");
      }
      assertEquals(0, consumer.poll(Duration.ofMillis(500)).count(), "a held poll");
      consumer.hold(false);
      assertEquals(offsets(0, RECORDS), offsetsPolled(consumer), "first offset to last");
    }
  }

  private FencingConsumer consumer() {
    return new FencingConsumer(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG, "g",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
        revoked -> {},
        new AcknowledgedPositions(),
        StreamMetrics.NONE,
        Optional.empty());
  }

  private void produce() {
    Topics.ensure(broker.bootstrapServers(), List.of("in"), 1);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
            new StringSerializer(),
            new ByteArraySerializer())) {
      for (int i = 0; i < RECORDS; i++) {
        producer.send(new ProducerRecord<>("in", "k" + i, new byte[] {(byte) i}));
      }
      producer.flush();
    }
  }

  private static List<Long> offsetsPolled(FencingConsumer consumer) {
    List<Long> offsets = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (offsets.size() < RECORDS && System.nanoTime() < deadline) {
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        offsets.add(record.offset());
      }
    }
    return offsets;
  }

  private static List<Long> offsets(long from, long to) {
    List<Long> offsets = new ArrayList<>();
    for (long offset = from; offset < to; offset++) {
      offsets.add(offset);
    }
    return offsets;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
