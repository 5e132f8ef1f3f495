package streaminfer.stream;

import java.util.Map;
import java.util.Set;

/**
 * One pipeline's Kafka side.
 *
 * @param pipeline the pipeline's name, on its dead letters (pipelines may share a dead-letter
 *     topic)
 * @param outputTopics every topic the processor may write; an output to another fails its record
 * @param maxInFlightRecords records received but not yet acknowledged at most; the consumer pauses
 *     at this bound and resumes at half of it
 * @param commitIntervalMillis how often acknowledged offsets are committed
 * @param drainTimeoutMillis how long a stop waits for in-flight records before closing
 * @param recordTimeoutMillis how long the processor may take over a record, from its receipt; a
 *     record not finished by then is dead-lettered with a {@link RecordTimeoutException}
 * @param clientOverrides the user's Kafka client properties (security, ...), applied over the
 *     engine's own settings to consumer and producer
 * @param delivery at-least-once (offsets committed after outputs are acknowledged) or exactly-once
 *     (outputs and offsets in one transaction, every {@code commitIntervalMillis})
 */
public record StreamConfig(
    String pipeline,
    String bootstrapServers,
    String groupId,
    String inputTopic,
    Set<String> outputTopics,
    String deadLetterTopic,
    int maxInFlightRecords,
    long commitIntervalMillis,
    long drainTimeoutMillis,
    long recordTimeoutMillis,
    Map<String, String> clientOverrides,
    Delivery delivery) {
  public static final long DEFAULT_COMMIT_INTERVAL_MILLIS = 100;
  public static final long DEFAULT_DRAIN_TIMEOUT_MILLIS = 30_000;
  public static final long DEFAULT_RECORD_TIMEOUT_MILLIS = 60_000;

  public StreamConfig {
    requireText(pipeline, "pipeline");
    requireText(bootstrapServers, "bootstrapServers");
    requireText(groupId, "groupId");
    requireText(inputTopic, "inputTopic");
    outputTopics = Set.copyOf(outputTopics);
    if (outputTopics.isEmpty()) {
      throw new IllegalArgumentException("outputTopics is empty");
    }
    outputTopics.forEach(topic -> requireText(topic, "an output topic"));
    requireText(deadLetterTopic, "deadLetterTopic");
    if (maxInFlightRecords < 1) {
      throw new IllegalArgumentException(
          "maxInFlightRecords must be >= 1, was " + maxInFlightRecords);
    }
    if (commitIntervalMillis < 1) {
      throw new IllegalArgumentException(
          "commitIntervalMillis must be >= 1, was " + commitIntervalMillis);
    }
    if (recordTimeoutMillis < 1) {
      throw new IllegalArgumentException(
          "recordTimeoutMillis must be >= 1, was " + recordTimeoutMillis);
    }
    clientOverrides = Map.copyOf(clientOverrides);
    if (delivery == null) {
      throw new IllegalArgumentException("delivery is null");
    }
  }

  /** The defaults: the pipeline's name as its consumer group, failures to {@code <input>.dlq}. */
  public static StreamConfig of(
      String bootstrapServers, String pipeline, String inputTopic, String... outputTopics) {
    return new StreamConfig(
        pipeline,
        bootstrapServers,
        pipeline,
        inputTopic,
        Set.of(outputTopics),
        inputTopic + ".dlq",
        1024,
        DEFAULT_COMMIT_INTERVAL_MILLIS,
        DEFAULT_DRAIN_TIMEOUT_MILLIS,
        DEFAULT_RECORD_TIMEOUT_MILLIS,
        Map.of(),
        Delivery.AT_LEAST_ONCE);
  }

  public StreamConfig withMaxInFlightRecords(int records) {
    return new StreamConfig(
        pipeline,
        bootstrapServers,
        groupId,
        inputTopic,
        outputTopics,
        deadLetterTopic,
        records,
        commitIntervalMillis,
        drainTimeoutMillis,
        recordTimeoutMillis,
        clientOverrides,
        delivery);
  }

  public StreamConfig withCommitIntervalMillis(long millis) {
    return new StreamConfig(
        pipeline,
        bootstrapServers,
        groupId,
        inputTopic,
        outputTopics,
        deadLetterTopic,
        maxInFlightRecords,
        millis,
        drainTimeoutMillis,
        recordTimeoutMillis,
        clientOverrides,
        delivery);
  }

  public StreamConfig withRecordTimeoutMillis(long millis) {
    return new StreamConfig(
        pipeline,
        bootstrapServers,
        groupId,
        inputTopic,
        outputTopics,
        deadLetterTopic,
        maxInFlightRecords,
        commitIntervalMillis,
        drainTimeoutMillis,
        millis,
        clientOverrides,
        delivery);
  }

  public StreamConfig withClientOverrides(Map<String, String> overrides) {
    return new StreamConfig(
        pipeline,
        bootstrapServers,
        groupId,
        inputTopic,
        outputTopics,
        deadLetterTopic,
        maxInFlightRecords,
        commitIntervalMillis,
        drainTimeoutMillis,
        recordTimeoutMillis,
        overrides,
        delivery);
  }

  public StreamConfig withDelivery(Delivery guarantee) {
    return new StreamConfig(
        pipeline,
        bootstrapServers,
        groupId,
        inputTopic,
        outputTopics,
        deadLetterTopic,
        maxInFlightRecords,
        commitIntervalMillis,
        drainTimeoutMillis,
        recordTimeoutMillis,
        clientOverrides,
        guarantee);
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is empty");
    }
  }
}
