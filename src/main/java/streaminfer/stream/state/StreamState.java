package streaminfer.stream.state;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.producer.Producer;
import streaminfer.stream.Delivery;
import streaminfer.stream.Emitter;
import streaminfer.stream.StreamConfig;

/**
 * The state side of one pipeline, as the stream layer drives it: the stores and the emitter a
 * processor is given, fenced by the input partitions this instance owns. The ingress reports
 * assignments and revocations and waits for {@link #restored} before handing a partition's records
 * to the processor; the pipeline's producer carries every write.
 */
public final class StreamState implements AutoCloseable {
  private static final CompletableFuture<Void> NOTHING_TO_RESTORE =
      CompletableFuture.completedFuture(null);

  private final PartitionFence fence = new PartitionFence();
  private final ExecutorService acks;
  private final PartitionWriter writer;
  private final ChangelogStores stores;
  private final FencedEmitter emitter;

  /**
   * @param kafka client properties for the changelog topics' admin and restore clients
   * @param topicName puts the engine's topic prefix before a store's name
   * @param outputTopics the topics the emitter may write
   */
  private StreamState(
      Map<String, String> kafka,
      UnaryOperator<String> topicName,
      String inputTopic,
      Set<String> outputTopics) {
    this.acks =
        Executors.newSingleThreadExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "state-acks-" + inputTopic);
              thread.setDaemon(true);
              return thread;
            });
    this.writer = new PartitionWriter(acks);
    this.stores = new ChangelogStores(kafka, topicName, inputTopic, fence, writer);
    this.emitter = new FencedEmitter(outputTopics, fence, writer);
  }

  /**
   * The state of the pipeline {@code stream} describes, its clients made like the stream's own.
   *
   * @param topicName puts the engine's topic prefix before a store's name
   */
  public static StreamState of(StreamConfig stream, UnaryOperator<String> topicName) {
    Map<String, String> kafka = new HashMap<>(stream.clientOverrides());
    kafka.putIfAbsent("bootstrap.servers", stream.bootstrapServers());
    if (stream.delivery() == Delivery.EXACTLY_ONCE) {
      // A restore must not see the writes of a transaction that was aborted.
      kafka.put("isolation.level", "read_committed");
    }
    return new StreamState(kafka, topicName, stream.inputTopic(), stream.outputTopics());
  }

  public StateStores stores() {
    return stores;
  }

  public Emitter emitter() {
    return emitter;
  }

  /** Whether records must wait for a restore: false for a pipeline without stores. */
  public boolean stateful() {
    return !stores.isEmpty();
  }

  public void attach(Producer<String, byte[]> producer) {
    writer.attach(producer);
  }

  public void assigned(Set<Integer> partitions) {
    partitions.forEach(stores::assigned);
  }

  /** From now on nothing is written or emitted for these partitions, and their state is gone. */
  public void revoked(Set<Integer> partitions) {
    partitions.forEach(stores::revoked);
  }

  /**
   * Completes once the partition's state is in memory, or fails (the next call retries); fails with
   * {@link PartitionRevokedException} once the partition is not owned.
   */
  public CompletableFuture<Void> restored(int partition) {
    return stateful() ? stores.restored(partition) : NOTHING_TO_RESTORE;
  }

  @Override
  public void close() {
    stores.close();
    acks.shutdown();
  }
}
