package streaminfer.stream;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/**
 * A place in a partition as users name it: {@code earliest}, {@code now} (the end when asked), an
 * offset, or an ISO-8601 time (the first record at or after it).
 */
public sealed interface StreamPosition {
  /** The first offset still in the log. */
  record Earliest() implements StreamPosition {}

  /** The end of the log at the time of asking (for read_committed: the last stable offset). */
  record Now() implements StreamPosition {}

  record Offset(long offset) implements StreamPosition {}

  record Time(Instant time) implements StreamPosition {}

  /**
   * @throws IllegalArgumentException naming the accepted forms
   */
  public static StreamPosition parse(String text) {
    String value = text.trim();
    switch (value.toLowerCase(Locale.ROOT)) {
      case "earliest", "beginning" -> {
        return new Earliest();
      }
      case "now", "end", "latest" -> {
        return new Now();
      }
      default -> {
        // fall through to numbers and times
      }
    }
    if (value.chars().allMatch(Character::isDigit) && !value.isEmpty()) {
      return new Offset(Long.parseLong(value));
    }
    try {
      return new Time(Instant.parse(value));
    } catch (DateTimeParseException notInstant) {
      try {
        return new Time(OffsetDateTime.parse(value).toInstant());
      } catch (DateTimeParseException notOffsetTime) {
        throw new IllegalArgumentException(
            "'"
                + text
                + "' is not a position: use earliest, now, an offset (digits) or an ISO-8601 time"
                + " such as 2026-11-30T12:00:00Z");
      }
    }
  }

  /** The offset this position names in each partition, clamped to what the log holds. */
  default Map<TopicPartition, Long> resolve(
      Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
    Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
    Map<TopicPartition, Long> resolved = new HashMap<>();
    Map<TopicPartition, OffsetAndTimestamp> byTime =
        this instanceof Time time
            ? consumer.offsetsForTimes(timestamps(partitions, time.time().toEpochMilli()))
            : Map.of();
    for (TopicPartition partition : partitions) {
      long first = beginning.get(partition);
      long last = end.get(partition);
      long offset;
      if (this instanceof Offset at) {
        offset = at.offset();
      } else if (this instanceof Time) {
        OffsetAndTimestamp found = byTime.get(partition);
        offset = found == null ? last : found.offset();
      } else {
        offset = this instanceof Earliest ? first : last;
      }
      resolved.put(partition, Math.max(first, Math.min(last, offset)));
    }
    return resolved;
  }

  private static Map<TopicPartition, Long> timestamps(
      Collection<TopicPartition> partitions, long millis) {
    Map<TopicPartition, Long> query = new HashMap<>();
    partitions.forEach(partition -> query.put(partition, millis));
    return query;
  }
}
