package streaminfer.broker;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the topics a pipeline needs (input, output, {@code .dlq}) if they are missing. */
public final class Topics {
  private Topics() {}

  /**
   * Creates each named topic with {@code partitions} partitions and the cluster's default
   * replication factor; topics that already exist are left as they are, whatever their partitions.
   *
   * @throws IllegalStateException if a topic could neither be created nor found to exist
   */
  public static void ensure(String bootstrap, Collection<String> names, int partitions) {
    if (bootstrap == null || bootstrap.isBlank()) {
      throw new IllegalArgumentException("bootstrap must name at least one host:port");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
    }
    List<NewTopic> topics =
        names.stream()
            .distinct()
            .map(name -> new NewTopic(name, Optional.of(partitions), Optional.empty()))
            .toList();
    if (topics.isEmpty()) {
      return;
    }
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
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
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating topics on " + bootstrap, e);
    }
  }
}
