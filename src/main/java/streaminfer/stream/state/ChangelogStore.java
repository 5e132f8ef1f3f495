package streaminfer.stream.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link KeyValueStore} holding decoded values in memory per input partition, every write logged
 * to its changelog partition first checked against the {@link PartitionFence}. A partition's memory
 * exists only between its restore and its revocation.
 */
final class ChangelogStore<V> implements KeyValueStore<V> {
  private static final Logger LOG = LoggerFactory.getLogger(ChangelogStore.class);
  private final String topic;
  private final StateCodec<V> codec;
  private final PartitionFence fence;
  private final PartitionWriter writer;
  private final Map<Integer, Map<String, V>> partitions = new ConcurrentHashMap<>();

  ChangelogStore(String topic, StateCodec<V> codec, PartitionFence fence, PartitionWriter writer) {
    this.topic = topic;
    this.codec = codec;
    this.fence = fence;
    this.writer = writer;
  }

  @Override
  public String topic() {
    return topic;
  }

  @Override
  public V get(int partition, String key) {
    Map<String, V> entries = partitions.get(partition);
    return entries == null ? null : entries.get(key);
  }

  @Override
  public CompletionStage<Void> put(int partition, String key, V value) {
    byte[] bytes = codec.encode(value);
    return write(partition, key, bytes, entries -> entries.put(key, value));
  }

  @Override
  public CompletionStage<Void> delete(int partition, String key) {
    return write(partition, key, null, entries -> entries.remove(key));
  }

  @Override
  public List<Entry<V>> entries() {
    List<Entry<V>> all = new ArrayList<>();
    partitions.forEach(
        (partition, entries) ->
            entries.forEach((key, value) -> all.add(new Entry<>(partition, key, value))));
    return all;
  }

  @Override
  public int size() {
    return partitions.values().stream().mapToInt(Map::size).sum();
  }

  private CompletableFuture<Void> write(
      int partition, String key, byte[] bytes, Consumer<Map<String, V>> apply) {
    return fence.ifOwned(
        partition,
        () -> {
          Map<String, V> entries = partitions.get(partition);
          if (entries == null) {
            return CompletableFuture.failedFuture(
                new IllegalStateException(
                    topic + "-" + partition + " is owned but not restored yet; " + key + " kept"));
          }
          apply.accept(entries);
          return writer.send(topic, partition, key, bytes);
        });
  }

  /**
   * Decodes a partition's restored values now (a value that cannot be read is logged and left out:
   * that key's state is lost) and returns what installs them, to be run under the fence in the term
   * the restore began in.
   */
  Runnable restore(int partition, Map<String, byte[]> latest) {
    Map<String, V> entries = new ConcurrentHashMap<>();
    latest.forEach(
        (key, bytes) -> {
          try {
            entries.put(key, codec.decode(bytes));
          } catch (RuntimeException e) {
            LOG.error("state of {} in {}-{} cannot be read; it is lost", key, topic, partition, e);
          }
        });
    return () -> partitions.put(partition, entries);
  }

  /** Called under the fence's write lock when the partition is revoked. */
  void drop(int partition) {
    partitions.remove(partition);
  }
}
