package streaminfer.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import streaminfer.broker.KafkaBroker;

class KafkaWarmupTest {
  @RegisterExtension final KafkaBroker broker = new KafkaBroker();

  @Test
  void roundTripsItsRecordsOnItsOwnTopicAndLeavesNoConsumerGroup() throws Exception {
    Map<String, String> client =
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      KafkaWarmup.run(vertx, client, "engine-warmup", 500);
      KafkaWarmup.run(vertx, client, "engine-warmup", 500);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
    try (Admin admin = Admin.create(Map.<String, Object>copyOf(client))) {
      TopicPartition only = new TopicPartition("engine-warmup", 0);
      long end =
          admin.listOffsets(Map.of(only, OffsetSpec.latest())).partitionResult(only).get().offset();
      assertEquals(1000, end, "both warm-ups wrote all their records, to its one partition");
      assertTrue(admin.listGroups().all().get().isEmpty(), "no group joined, none left behind");
      assertEquals(
          List.of("engine-warmup"),
          admin.listTopics().names().get().stream().filter(t -> t.contains("warmup")).toList());
    }
  }
}
