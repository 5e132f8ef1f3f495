package streaminfer.ops;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the broker, off the event loop, whether it is reachable and how far each pipeline's group
 * lags behind its input topic (end offset minus committed offset, summed over partitions: the
 * number KEDA's Kafka scaler acts on).
 */
public final class KafkaProbe implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaProbe.class);
  private static final long TIMEOUT_MILLIS = 5_000;

  /** A pipeline whose lag is measured. */
  public record LaggingGroup(String groupId, String topic, PipelineMetrics metrics) {}

  private final Admin admin;
  private final List<LaggingGroup> groups;
  private volatile Optional<String> brokerProblem = Optional.of("not probed yet");

  /**
   * @param client Kafka client properties: bootstrap, security and any other the user gave
   */
  public KafkaProbe(Map<String, String> client, List<LaggingGroup> groups) {
    Map<String, Object> config = new HashMap<>(client);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MILLIS);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MILLIS);
    this.admin = Admin.create(config);
    this.groups = List.copyOf(groups);
  }

  /** Empty while the last probe reached the broker. */
  public Optional<String> brokerProblem() {
    return brokerProblem;
  }

  /** Blocking: call from a worker thread or timer executor, not an event loop. */
  public void probe() {
    try {
      admin.describeCluster().clusterId().get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
      brokerProblem = Optional.empty();
    } catch (Exception e) {
      brokerProblem = Optional.of("broker unreachable: " + e);
      return;
    }
    for (LaggingGroup group : groups) {
      try {
        group.metrics().consumerLag(lag(group));
      } catch (Exception e) {
        LOG.debug("lag of {} on {} not measured", group.groupId(), group.topic(), e);
      }
    }
  }

  private long lag(LaggingGroup group) throws Exception {
    TopicDescription topic =
        admin
            .describeTopics(List.of(group.topic()))
            .allTopicNames()
            .get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
            .get(group.topic());
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    topic
        .partitions()
        .forEach(
            p -> latest.put(new TopicPartition(group.topic(), p.partition()), OffsetSpec.latest()));
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
        admin.listOffsets(latest).all().get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin
            .listConsumerGroupOffsets(group.groupId())
            .partitionsToOffsetAndMetadata()
            .get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    long lag = 0;
    for (var end : ends.entrySet()) {
      OffsetAndMetadata position = committed.get(end.getKey());
      lag += end.getValue().offset() - (position == null ? 0 : position.offset());
    }
    return lag;
  }

  @Override
  public void close() {
    admin.close();
  }
}
