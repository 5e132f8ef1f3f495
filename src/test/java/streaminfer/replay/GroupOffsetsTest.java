package streaminfer.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import streaminfer.broker.KafkaBroker;
import streaminfer.broker.Topics;

class GroupOffsetsTest {
  @RegisterExtension final KafkaBroker kafka = new KafkaBroker();

  @Test
  void startsABackfillGroupAtATimeWithoutTouchingTheLiveGroup() throws Exception {
    Topics.ensure(client(), List.of("frames"), 1, Map.of());
    Instant middle;
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            new HashMap<String, Object>(client()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      long early = Instant.parse("2026-11-30T08:00:00Z").toEpochMilli();
      for (int i = 0; i < 100; i++) {
        // Offsets 0..99 at one second apart; offset 60 is at 08:01:00.
        producer.send(
            new ProducerRecord<>(
                "frames", 0, early + i * 1_000L, null, ("v" + i).getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush();
      middle = Instant.ofEpochMilli(early + 60_000);
    }
    commit("live", 99);

    Map<Integer, Long> set =
        new GroupOffsets(client()).reset("backfill", "frames", List.of(), middle.toString(), false);

    assertEquals(Map.of(0, 60L), set);
    assertEquals(60L, committed("backfill"));
    assertEquals(99L, committed("live"), "the live group is untouched");
  }

  @Test
  void refusesAGroupThatHasMembersAndDryRunChangesNothing() throws Exception {
    Topics.ensure(client(), List.of("frames"), 1, Map.of());
    commit("busy", 0);
    Map<String, Object> properties = new HashMap<>(client());
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "busy");
    try (KafkaConsumer<byte[], byte[]> member =
        new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      member.subscribe(List.of("frames"));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (member.assignment().isEmpty() && System.nanoTime() < deadline) {
        member.poll(Duration.ofMillis(100));
      }
      IllegalStateException refused =
          assertThrows(
              IllegalStateException.class,
              () -> new GroupOffsets(client()).reset("busy", "frames", List.of(), "now", false));
      assertTrue(refused.getMessage().contains("active members"), refused.getMessage());
    }
    new GroupOffsets(client()).reset("busy", "frames", List.of(), "now", true);
    assertEquals(0L, committed("busy"));
  }

  private void commit(String group, long offset) throws Exception {
    try (Admin admin = Admin.create(new HashMap<String, Object>(client()))) {
      admin
          .alterConsumerGroupOffsets(
              group, Map.of(new TopicPartition("frames", 0), new OffsetAndMetadata(offset)))
          .all()
          .get();
    }
  }

  private long committed(String group) throws Exception {
    try (Admin admin = Admin.create(new HashMap<String, Object>(client()))) {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      return offsets.get(new TopicPartition("frames", 0)).offset();
    }
  }

  private Map<String, String> client() {
    return Map.of("bootstrap.servers", kafka.bootstrapServers());
  }
}
