package streaminfer.replay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import streaminfer.stream.StreamPosition;

/**
 * Sets where a consumer group starts in a topic, as {@code kafka-consumer-groups --reset-offsets}
 * does: for a backfill, a pipeline with a group of its own (and output topics of its own) then
 * starts there, and the live group is not touched. Refused while the group has members.
 */
public final class GroupOffsets {
  private static final long TIMEOUT_SECONDS = 30;

  private final Map<String, String> client;

  /**
   * @param client Kafka client properties: bootstrap, security and any other the user gave
   */
  public GroupOffsets(Map<String, String> client) {
    this.client = Map.copyOf(client);
  }

  /**
   * Resolves the position in each partition (all when {@code partitions} is empty) and, unless
   * {@code dryRun}, commits it for the group; returns the offsets, partition by partition.
   *
   * @throws IllegalStateException if the group has active members
   */
  public Map<Integer, Long> reset(
      String group, String topic, List<Integer> partitions, String position, boolean dryRun) {
    StreamPosition to = StreamPosition.parse(position);
    Map<String, Object> properties = new HashMap<>(client);
    properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
    Map<TopicPartition, Long> offsets;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<PartitionInfo> infos =
          consumer.partitionsFor(topic, Duration.ofSeconds(TIMEOUT_SECONDS));
      if (infos == null || infos.isEmpty()) {
        throw new IllegalArgumentException("topic " + topic + " does not exist");
      }
      List<TopicPartition> selected = new ArrayList<>();
      for (PartitionInfo info : infos) {
        if (partitions.isEmpty() || partitions.contains(info.partition())) {
          selected.add(new TopicPartition(topic, info.partition()));
        }
      }
      offsets = to.resolve(consumer, selected);
    }
    Map<Integer, Long> byPartition = new TreeMap<>();
    offsets.forEach((partition, offset) -> byPartition.put(partition.partition(), offset));
    if (dryRun) {
      return byPartition;
    }
    try (Admin admin = Admin.create(new HashMap<String, Object>(client))) {
      requireNoMembers(admin, group);
      Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
      offsets.forEach((partition, offset) -> commit.put(partition, new OffsetAndMetadata(offset)));
      admin.alterConsumerGroupOffsets(group, commit).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "could not set the offsets of group " + group + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    return byPartition;
  }

  private static void requireNoMembers(Admin admin, String group)
      throws InterruptedException, TimeoutException {
    try {
      ConsumerGroupDescription description =
          admin
              .describeConsumerGroups(List.of(group))
              .describedGroups()
              .get(group)
              .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (!description.members().isEmpty()) {
        throw new IllegalStateException(
            "group "
                + group
                + " has "
                + description.members().size()
                + " active members: stop them first (a running pipeline would overwrite the"
                + " offsets)");
      }
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof GroupIdNotFoundException)) {
        throw new IllegalStateException("cannot describe group " + group, e.getCause());
      }
    }
  }
}
