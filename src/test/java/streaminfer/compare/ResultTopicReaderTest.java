package streaminfer.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import streaminfer.broker.KafkaBroker;
import streaminfer.broker.Topics;
import streaminfer.config.ConfigException;

/** Reading a result topic on a real broker, as an exactly-once pipeline leaves it. */
class ResultTopicReaderTest {
  @RegisterExtension final KafkaBroker broker = new KafkaBroker();

  private ResultTopicReader reader() {
    return new ResultTopicReader(
        Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
        Duration.ofSeconds(30));
  }

  @Test
  void readsEveryCommittedRecordToTheEndAndSkipsAbortedTransactions() {
    Topics.ensure(broker.bootstrapServers(), List.of("results", "empty"), 3);
    Map<String, Object> properties =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            broker.bootstrapServers(),
            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            "reader-test");
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer())) {
      producer.initTransactions();
      send(producer, "committed", 5);
      producer.commitTransaction();
      send(producer, "aborted", 3);
      producer.abortTransaction();
      send(producer, "late", 2);
      producer.commitTransaction();
    }

    List<String> read = new ArrayList<>();
    long count =
        reader()
            .read(
                "--a",
                "results",
                (key, value) -> read.add(new String(value, StandardCharsets.UTF_8)));

    assertEquals(7, count);
    assertEquals(5, read.stream().filter(v -> v.startsWith("committed")).count());
    assertEquals(2, read.stream().filter(v -> v.startsWith("late")).count());
    assertEquals(0, reader().read("--b", "empty", (key, value) -> {}));
  }

  @Test
  void leavesOutWhatIsWrittenAfterTheSnapshot() {
    Topics.ensure(broker.bootstrapServers(), List.of("results"), 2);
    Map<String, Object> properties =
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < 6; i++) {
        producer.send(new ProducerRecord<>("results", "k" + i, new byte[] {1}));
      }
      producer.flush();
      ResultTopicReader.Snapshot snapshot = reader().snapshot("--a", "results");
      for (int i = 0; i < 4; i++) {
        producer.send(new ProducerRecord<>("results", "k" + i, new byte[] {2}));
      }
      producer.flush();

      List<Byte> read = new ArrayList<>();
      assertEquals(6, reader().read(snapshot, (key, value) -> read.add(value[0])));
      assertEquals(List.of((byte) 1), read.stream().distinct().toList());
    }
  }

  @Test
  void aTopicThatDoesNotExistIsAnErrorNamingTheOption() {
    ConfigException error =
        assertThrows(ConfigException.class, () -> reader().read("--b", "nowhere", (k, v) -> {}));
    assertEquals("--b", error.key());
  }

  private static void send(KafkaProducer<String, byte[]> producer, String what, int n) {
    producer.beginTransaction();
    for (int i = 0; i < n; i++) {
      producer.send(
          new ProducerRecord<>(
              "results", "k" + i, (what + "-" + i).getBytes(StandardCharsets.UTF_8)));
    }
    producer.flush();
  }
}
