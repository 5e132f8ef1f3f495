package streaminfer.stream.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stores held in memory only, for a processor run without Kafka (the in-process benchmark ceiling):
 * every partition counts as owned, writes complete at once, nothing is restored or logged.
 *
 * <p>Threading: as {@link KeyValueStore}, any thread.
 */
public final class InMemoryStores implements StateStores {
  private final List<Store<?>> opened = new java.util.concurrent.CopyOnWriteArrayList<>();

  @Override
  public <V> KeyValueStore<V> open(String name, StateCodec<V> codec) {
    Store<V> store = new Store<>(name);
    opened.add(store);
    return store;
  }

  /** Empties every store opened here: the state of a fresh start (a benchmark's next round). */
  public void clear() {
    opened.forEach(store -> store.entries.clear());
  }

  private static final class Store<V> implements KeyValueStore<V> {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    private final String topic;
    private final Map<String, Entry<V>> entries = new ConcurrentHashMap<>();

    Store(String topic) {
      this.topic = topic;
    }

    @Override
    public String topic() {
      return topic;
    }

    @Override
    public V get(int partition, String key) {
      Entry<V> entry = entries.get(key);
      return entry == null ? null : entry.value();
    }

    @Override
    public CompletionStage<Void> put(int partition, String key, V value) {
      entries.put(key, new Entry<>(partition, key, value));
      return DONE;
    }

    @Override
    public CompletionStage<Void> delete(int partition, String key) {
      entries.remove(key);
      return DONE;
    }

    @Override
    public List<Entry<V>> entries() {
      return new ArrayList<>(entries.values());
    }

    @Override
    public int size() {
      return entries.size();
    }
  }
}
