package streaminfer.stream.state;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A key-value store backed by a compacted changelog topic, co-partitioned with the input: a key's
 * entry lives in the changelog partition numbered like the input partition its records come from.
 * The stream layer restores a partition's entries before that partition's first record is
 * processed, and drops them when the partition is revoked.
 *
 * <p>Every call names its input partition. A write for a partition this instance does not own fails
 * with {@link PartitionRevokedException} and sends nothing; a write updates memory at once and its
 * stage completes once the changelog record is acknowledged, so a processor that waits for it
 * before answering never answers with state the broker does not have.
 *
 * <p>Threading: every method may be called from any thread; writes of one key must be sequenced by
 * the caller (a key's records are).
 */
public interface KeyValueStore<V> {
  /** The changelog topic (the engine's topic prefix included). */
  String topic();

  /** The value, or null when absent or when the partition is not owned and restored here. */
  V get(int partition, String key);

  CompletionStage<Void> put(int partition, String key, V value);

  /** Removes the key and writes its tombstone. */
  CompletionStage<Void> delete(int partition, String key);

  /** The entries of every partition owned and restored here, as of now. */
  List<Entry<V>> entries();

  /** Entries held in memory. */
  int size();

  /** One entry and the input partition it belongs to. */
  record Entry<V>(int partition, String key, V value) {}
}
