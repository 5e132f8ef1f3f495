package streaminfer.stream;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The committable position of each partition the consumer owns: the event loop publishes it as
 * records are acknowledged, the poll thread commits it when the partition is revoked, before the
 * consumer rejoins and another member can be given the partition.
 *
 * <p>Threading: thread-safe; ownership changes only on the poll thread, positions only on the event
 * loop, each key updated atomically so no position is published for a partition no longer owned.
 */
final class AcknowledgedPositions {
  private static final long NONE = -1;
  private final ConcurrentHashMap<TopicPartition, Long> positions = new ConcurrentHashMap<>();

  /** Poll thread: these partitions are now owned, nothing acknowledged yet. */
  void assigned(Collection<TopicPartition> partitions) {
    partitions.forEach(partition -> positions.putIfAbsent(partition, NONE));
  }

  /** Event loop: every record of {@code partition} below {@code position} is acknowledged. */
  void publish(TopicPartition partition, long position) {
    positions.computeIfPresent(partition, (p, known) -> Math.max(known, position));
  }

  boolean owned(TopicPartition partition) {
    return positions.containsKey(partition);
  }

  /** Poll thread: ownership ends; returns the acknowledged positions to commit. */
  Map<TopicPartition, OffsetAndMetadata> revoked(Collection<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition partition : partitions) {
      Long position = positions.remove(partition);
      if (position != null && position != NONE) {
        offsets.put(partition, new OffsetAndMetadata(position, ""));
      }
    }
    return offsets;
  }
}
