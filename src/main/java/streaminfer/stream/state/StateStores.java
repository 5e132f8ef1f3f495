package streaminfer.stream.state;

/** Where a processor gets its stores: one per name, opened while the processor is built. */
public interface StateStores {
  /**
   * Opens the store whose changelog is {@code name} (the engine's topic prefix is put before it);
   * the topic is created when missing, compacted, with as many partitions as the input topic.
   *
   * @throws IllegalStateException if the existing topic has fewer partitions than the input
   */
  <V> KeyValueStore<V> open(String name, StateCodec<V> codec);
}
