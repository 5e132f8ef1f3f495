package streaminfer.broker;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the topics a pipeline needs (input, output, {@code .dlq}) if they are missing. */
public final class Topics {
  private Topics() {}

  private static final long READY_TIMEOUT_MILLIS = 30_000;

  /**
   * Creates each named topic with {@code partitions} partitions and the cluster's default
   * replication factor; topics that already exist are left as they are, whatever their partitions.
   * Returns only once every partition answers a leader-only request: an idempotent producer that
   * writes to a partition the broker has not opened yet can lose records (KAFKA-15591: the first
   * request fails NOT_LEADER_OR_FOLLOWER, a later one is appended, and the retry of the first is
   * then refused as out of order until it times out).
   *
   * @throws IllegalStateException if a topic could neither be created nor found to exist
   */
  public static void ensure(String bootstrap, Collection<String> names, int partitions) {
    ensure(bootstrap, names, partitions, Map.of());
  }

  /** As {@link #ensure(String, Collection, int)}, creating missing topics with {@code configs}. */
  public static void ensure(
      String bootstrap, Collection<String> names, int partitions, Map<String, String> configs) {
    ensure(client(bootstrap), names, partitions, configs);
  }

  /**
   * As {@link #ensure(String, Collection, int)}, through an admin client made from {@code client}
   * (bootstrap, security and any other client property).
   */
  public static void ensure(
      Map<String, String> client,
      Collection<String> names,
      int partitions,
      Map<String, String> configs) {
    String bootstrap = client.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
    if (bootstrap == null || bootstrap.isBlank()) {
      throw new IllegalArgumentException("bootstrap must name at least one host:port");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
    }
    List<NewTopic> topics =
        names.stream()
            .distinct()
            .map(
                name ->
                    new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(configs))
            .toList();
    if (topics.isEmpty()) {
      return;
    }
    try (Admin admin = Admin.create(new HashMap<String, Object>(client))) {
      for (Map.Entry<String, KafkaFuture<Void>> created :
          admin.createTopics(topics).values().entrySet()) {
        try {
          created.getValue().get();
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException(
                "Could not create topic " + created.getKey() + " on " + bootstrap, e.getCause());
          }
        }
      }
      awaitLeaders(admin, topics.stream().map(NewTopic::name).toList(), bootstrap);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating topics on " + bootstrap, e);
    }
  }

  /** The partition count of an existing topic. */
  public static int partitions(String bootstrap, String topic) {
    return partitions(client(bootstrap), topic);
  }

  /** The partition count of an existing topic, asked through a client made from {@code client}. */
  public static int partitions(Map<String, String> client, String topic) {
    String bootstrap = client.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
    try (Admin admin = Admin.create(new HashMap<String, Object>(client))) {
      return admin
          .describeTopics(List.of(topic))
          .allTopicNames()
          .get()
          .get(topic)
          .partitions()
          .size();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while describing " + topic, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "Could not describe topic " + topic + " on " + bootstrap, e.getCause());
    }
  }

  private static Map<String, String> client(String bootstrap) {
    return bootstrap == null
        ? Map.of()
        : Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
  }

  /** Waits until ListOffsets, which only a partition's open leader answers, succeeds everywhere. */
  private static void awaitLeaders(Admin admin, List<String> names, String bootstrap)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + READY_TIMEOUT_MILLIS;
    while (true) {
      try {
        Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        admin
            .describeTopics(names)
            .allTopicNames()
            .get()
            .forEach(
                (name, description) ->
                    description
                        .partitions()
                        .forEach(
                            p ->
                                partitions.put(
                                    new TopicPartition(name, p.partition()), OffsetSpec.latest())));
        admin.listOffsets(partitions).all().get();
        return;
      } catch (ExecutionException e) {
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException(
              "Topics " + names + " on " + bootstrap + " have no ready leaders", e.getCause());
        }
        Thread.sleep(50);
      }
    }
  }
}
