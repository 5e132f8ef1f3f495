package streaminfer.stream;

import io.vertx.kafka.client.producer.KafkaHeader;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses, before it is sent, an output that the producer ({@code max.request.size}) or its topic
 * ({@code max.message.bytes}) would refuse for its size. A refused send inside a transaction aborts
 * the whole transaction, and the input comes back after the restart to be refused again; checked
 * first, the input is dead-lettered like any other failure. The size is an upper bound of the
 * record in a batch of its own; the topic's limit is checked only for uncompressed batches (a
 * compressed batch may fit where the record does not).
 */
final class OutputSizeLimits {
  // A record batch's header, and a record's own fields at their widest varints.
  private static final int BATCH_OVERHEAD = 61;
  private static final int RECORD_OVERHEAD = 36;
  private static final int HEADER_OVERHEAD = 10;
  private static final long TIMEOUT_SECONDS = 30;
  private static final Logger LOG = LoggerFactory.getLogger(OutputSizeLimits.class);

  static final OutputSizeLimits NONE = new OutputSizeLimits(Map.of(), Integer.MAX_VALUE);

  private final Map<String, Integer> topicLimits;
  private final int maxRequestSize;

  OutputSizeLimits(Map<String, Integer> topicLimits, int maxRequestSize) {
    this.topicLimits = Map.copyOf(topicLimits);
    this.maxRequestSize = maxRequestSize;
  }

  /**
   * Reads the topics' {@code max.message.bytes}; blocks.
   *
   * @param producer the producer's configuration (its {@code max.request.size} and compression)
   */
  static OutputSizeLimits fetch(
      String bootstrap,
      Map<String, String> clientOverrides,
      Map<String, String> producer,
      Collection<String> topics) {
    int maxRequestSize =
        Integer.parseInt(producer.getOrDefault(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "1048576"));
    String compression = producer.getOrDefault(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
    if (!compression.equals("none")) {
      return new OutputSizeLimits(Map.of(), maxRequestSize);
    }
    Map<String, Object> properties = new HashMap<>(clientOverrides);
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    Map<String, Integer> limits = new HashMap<>();
    try (Admin admin = Admin.create(properties)) {
      List<ConfigResource> resources =
          topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
      Map<ConfigResource, Config> configs =
          admin.describeConfigs(resources).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      configs.forEach(
          (resource, config) -> {
            ConfigEntry entry = config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            if (entry != null && entry.value() != null) {
              limits.put(resource.name(), Integer.parseInt(entry.value()));
            }
          });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new OutputSizeLimits(Map.of(), maxRequestSize);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      // Without the topics' limits the broker still refuses what is too large, only later.
      LOG.warn(
          "cannot read max.message.bytes of {}: outputs are checked by the producer only",
          topics,
          e);
      return new OutputSizeLimits(Map.of(), maxRequestSize);
    }
    return new OutputSizeLimits(limits, maxRequestSize);
  }

  /** Why the record cannot be sent, or null when it fits. */
  RecordTooLargeException check(String topic, String key, byte[] value, List<KafkaHeader> headers) {
    long size = BATCH_OVERHEAD + RECORD_OVERHEAD + (value == null ? 0 : value.length);
    if (key != null) {
      size += key.getBytes(StandardCharsets.UTF_8).length;
    }
    for (KafkaHeader header : headers) {
      size += HEADER_OVERHEAD + header.key().length() * 3L + header.value().length();
    }
    int topicLimit = topicLimits.getOrDefault(topic, Integer.MAX_VALUE);
    int limit = Math.min(topicLimit, maxRequestSize);
    if (size <= limit) {
      return null;
    }
    return new RecordTooLargeException(
        "an output of about "
            + size
            + " bytes exceeds "
            + (topicLimit < maxRequestSize
                ? topic + "'s max.message.bytes (" + topicLimit + ")"
                : "the producer's max.request.size (" + maxRequestSize + ")"));
  }
}
