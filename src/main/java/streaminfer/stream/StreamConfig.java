package streaminfer.stream;

import java.util.Map;

/**
 * One pipeline's Kafka side.
 *
 * @param maxInFlightRecords records received but not yet acknowledged at most; the consumer pauses
 *     at this bound and resumes at half of it
 * @param commitIntervalMillis how often acknowledged offsets are committed
 * @param drainTimeoutMillis how long a stop waits for in-flight records before closing
 * @param clientOverrides the user's Kafka client properties (security, ...), applied over the
 *     engine's own settings to consumer and producer
 */
public record StreamConfig(
    String bootstrapServers,
    String groupId,
    String inputTopic,
    String outputTopic,
    String deadLetterTopic,
    int maxInFlightRecords,
    long commitIntervalMillis,
    long drainTimeoutMillis,
    Map<String, String> clientOverrides) {
  public static final long DEFAULT_COMMIT_INTERVAL_MILLIS = 100;
  public static final long DEFAULT_DRAIN_TIMEOUT_MILLIS = 30_000;

  public StreamConfig {
    requireText(bootstrapServers, "bootstrapServers");
    requireText(groupId, "groupId");
    requireText(inputTopic, "inputTopic");
    requireText(outputTopic, "outputTopic");
    requireText(deadLetterTopic, "deadLetterTopic");
    if (maxInFlightRecords < 1) {
      throw new IllegalArgumentException(
          "maxInFlightRecords must be >= 1, was " + maxInFlightRecords);
    }
    if (commitIntervalMillis < 1) {
      throw new IllegalArgumentException(
          "commitIntervalMillis must be >= 1, was " + commitIntervalMillis);
    }
    clientOverrides = Map.copyOf(clientOverrides);
  }

  /**
   * The default topic names: {@code <input>} to {@code <output>}, failures to {@code <input>.dlq}.
   */
  public static StreamConfig of(
      String bootstrapServers, String groupId, String inputTopic, String outputTopic) {
    return new StreamConfig(
        bootstrapServers,
        groupId,
        inputTopic,
        outputTopic,
        inputTopic + ".dlq",
        1024,
        DEFAULT_COMMIT_INTERVAL_MILLIS,
        DEFAULT_DRAIN_TIMEOUT_MILLIS,
        Map.of());
  }

  public StreamConfig withMaxInFlightRecords(int records) {
    return new StreamConfig(
        bootstrapServers,
        groupId,
        inputTopic,
        outputTopic,
        deadLetterTopic,
        records,
        commitIntervalMillis,
        drainTimeoutMillis,
        clientOverrides);
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is empty");
    }
  }
}
