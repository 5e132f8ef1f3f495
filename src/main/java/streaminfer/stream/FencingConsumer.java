package streaminfer.stream;

import java.util.Collection;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The pipeline's consumer, running {@code fence} on the poll thread before its rebalance listener.
 * Vert.x hands revocations to the event loop asynchronously, by which time this consumer may have
 * rejoined the group and another instance may restore the partition; the state fence must close
 * (and writes already sent must be acknowledged) before the poll goes on, as Kafka Streams commits
 * and flushes in its own listener.
 */
final class FencingConsumer extends KafkaConsumer<String, byte[]> {
  private final Consumer<Collection<TopicPartition>> fence;

  FencingConsumer(Map<String, Object> config, Consumer<Collection<TopicPartition>> fence) {
    super(config, new StringDeserializer(), new ByteArrayDeserializer());
    this.fence = fence;
  }

  @Override
  public void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
    super.subscribe(
        topics,
        new ConsumerRebalanceListener() {
          @Override
          public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            fence.accept(partitions);
            listener.onPartitionsRevoked(partitions);
          }

          @Override
          public void onPartitionsLost(Collection<TopicPartition> partitions) {
            fence.accept(partitions);
            listener.onPartitionsLost(partitions);
          }

          @Override
          public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // Where each partition resumes (committed offset, else the reset policy) is looked up
            // now, before the pipeline reports itself ready, not on the first fetch after that.
            partitions.forEach(FencingConsumer.this::position);
            listener.onPartitionsAssigned(partitions);
          }
        });
  }
}
