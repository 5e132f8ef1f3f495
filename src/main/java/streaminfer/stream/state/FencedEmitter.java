package streaminfer.stream.state;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import streaminfer.stream.Emitter;
import streaminfer.stream.UndeclaredTopicException;

/** An {@link Emitter} to the pipeline's declared output topics, checked against the fence. */
final class FencedEmitter implements Emitter {
  private final Set<String> outputTopics;
  private final PartitionFence fence;
  private final PartitionWriter writer;

  FencedEmitter(Set<String> outputTopics, PartitionFence fence, PartitionWriter writer) {
    this.outputTopics = Set.copyOf(outputTopics);
    this.fence = fence;
    this.writer = writer;
  }

  @Override
  public CompletionStage<Void> send(int partition, String topic, String key, byte[] value) {
    if (!outputTopics.contains(topic)) {
      return CompletableFuture.failedFuture(new UndeclaredTopicException(topic, outputTopics));
    }
    return fence.ifOwned(partition, () -> writer.send(topic, partition, key, value));
  }

  @Override
  public <T> CompletionStage<T> together(int partition, Supplier<CompletionStage<T>> sends) {
    // The fence's read lock is reentrant: the sends inside check ownership again, and pass.
    return fence.ifOwned(partition, () -> sends.get().toCompletableFuture());
  }
}
