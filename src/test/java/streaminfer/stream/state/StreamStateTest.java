package streaminfer.stream.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import streaminfer.broker.KafkaBroker;
import streaminfer.broker.Topics;
import streaminfer.stream.StreamConfig;

/** Stores and the emitter on a real broker: restore per ownership term, and the fence. */
class StreamStateTest {
  @RegisterExtension final KafkaBroker broker = new KafkaBroker();
  private KafkaProducer<String, byte[]> producer;
  private StreamState state;
  private KeyValueStore<byte[]> store;

  @BeforeEach
  void open() {
    Topics.ensure(broker.bootstrapServers(), List.of("in", "out"), 2);
    producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new StringSerializer(),
            new ByteArraySerializer());
    state = started();
    store = state.stores().open("state", StateCodec.BYTES);
  }

  @AfterEach
  void close() {
    state.close();
    producer.close();
  }

  private StreamState started() {
    StreamState started =
        StreamState.of(
            StreamConfig.of(broker.bootstrapServers(), "p", "in", "out"), name -> "pre." + name);
    started.attach(producer);
    return started;
  }

  @Test
  void restoresAPartitionsLatestValuesInAFreshInstanceAndLeavesOtherPartitionsAlone()
      throws Exception {
    state.assigned(Set.of(0, 1));
    await(state.restored(0));
    await(state.restored(1));
    await(store.put(0, "a", bytes("1")));
    await(store.put(0, "a", bytes("2")));
    await(store.put(0, "gone", bytes("x")));
    await(store.delete(0, "gone"));
    await(store.put(1, "b", bytes("3")));

    StreamState fresh = started();
    try {
      KeyValueStore<byte[]> restored = fresh.stores().open("state", StateCodec.BYTES);
      assertEquals("pre.state", restored.topic(), "the engine's prefix is put before the name");
      fresh.assigned(Set.of(0));
      await(fresh.restored(0));
      assertArrayEquals(bytes("2"), restored.get(0, "a"));
      assertNull(restored.get(0, "gone"));
      assertEquals(1, restored.size(), "partition 1 is not owned here");
    } finally {
      fresh.close();
    }
  }

  @Test
  void refusesEveryWriteAndEmittedRecordForARevokedPartitionWithoutSendingIt() throws Exception {
    state.assigned(Set.of(0));
    await(state.restored(0));
    await(store.put(0, "a", bytes("1")));
    state.revoked(Set.of(0));

    assertRevoked(store.put(0, "a", bytes("2")));
    assertRevoked(store.delete(0, "a"));
    assertRevoked(state.emitter().send(0, "out", "a", bytes("notice")));
    assertNull(store.get(0, "a"), "a revoked partition's state is dropped");
    assertEquals(1, records("pre.state", 0).size(), "only the write made while owned");
    assertEquals(0, records("out", 0).size());
  }

  @Test
  void discardsARestoreThatEndsAfterItsPartitionWasRevokedAndRestoresAgainOnReassignment()
      throws Exception {
    state.assigned(Set.of(0));
    await(state.restored(0));
    await(store.put(0, "a", bytes("1")));
    state.revoked(Set.of(0));

    state.assigned(Set.of(0));
    CompletionStage<Void> stale = state.restored(0);
    state.revoked(Set.of(0));
    ExecutionException refused = assertThrows(ExecutionException.class, () -> await(stale));
    assertInstanceOf(PartitionRevokedException.class, refused.getCause());
    assertTrue(store.entries().isEmpty(), "a revoked partition's restore re-populated memory");

    state.assigned(Set.of(0));
    await(state.restored(0));
    assertArrayEquals(bytes("1"), store.get(0, "a"));
  }

  @Test
  void refusesAnEmittedRecordToATopicThePipelineDoesNotDeclare() {
    state.assigned(Set.of(0));
    ExecutionException refused =
        assertThrows(
            ExecutionException.class,
            () -> await(state.emitter().send(0, "elsewhere", "a", bytes("x"))));
    assertInstanceOf(streaminfer.stream.UndeclaredTopicException.class, refused.getCause());
  }

  private static void assertRevoked(CompletionStage<Void> write) {
    ExecutionException refused = assertThrows(ExecutionException.class, () -> await(write));
    assertInstanceOf(PartitionRevokedException.class, refused.getCause());
  }

  private static void await(CompletionStage<Void> stage) throws Exception {
    stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private List<ConsumerRecord<String, byte[]>> records(String topic, int partition) {
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    TopicPartition source = new TopicPartition(topic, partition);
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.assign(List.of(source));
      consumer.seekToBeginning(List.of(source));
      long end = consumer.endOffsets(List.of(source)).get(source);
      while (consumer.position(source) < end) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }
}
