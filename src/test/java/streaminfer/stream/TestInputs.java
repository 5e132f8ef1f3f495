package streaminfer.stream;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The stream tests' input: records keyed by 8 keys, valued {@code key:sequence}. */
final class TestInputs {
  private TestInputs() {}

  /** Sends {@code count} records to {@code in}; returns their values in send order. */
  static List<String> produce(String bootstrap, int count) {
    return produce(bootstrap, count, i -> List.of());
  }

  /** As {@link #produce(String, int)}, the i-th record with {@code headers.apply(i)}. */
  static List<String> produce(
      String bootstrap,
      int count,
      java.util.function.IntFunction<List<org.apache.kafka.common.header.Header>> headers) {
    List<String> values = new ArrayList<>();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
            new StringSerializer(),
            new ByteArraySerializer())) {
      for (int i = 0; i < count; i++) {
        String key = "k" + (i % 8);
        String value = key + ":" + i;
        values.add(value);
        producer.send(
            new ProducerRecord<>(
                "in", null, key, value.getBytes(StandardCharsets.UTF_8), headers.apply(i)));
      }
      producer.flush();
    }
    return values;
  }

  static int sequence(byte[] value) {
    return Integer.parseInt(new String(value, StandardCharsets.UTF_8).split(":")[1]);
  }
}
