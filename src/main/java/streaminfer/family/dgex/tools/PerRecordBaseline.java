package streaminfer.family.dgex.tools;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import streaminfer.codec.AvroCodec;
import streaminfer.codec.Floats;
import streaminfer.runtime.ModelSession;
import streaminfer.runtime.Tensor;
import streaminfer.v1.GeneExpression;
import streaminfer.v1.GenePanel;

/**
 * What a user writes first: poll, then for each record decode, infer at batch 1, encode and
 * produce; commit after each poll, once its outputs are acknowledged (the engine's guarantee). In
 * the {@code waitEachSend} variant every produce is awaited before the next record, as the simplest
 * correct loop does; otherwise sends are asynchronous and flushed before the commit. Same codec,
 * model session (device and ORT threads) and broker as the engine. The producer sends at once
 * ({@code linger.ms=0}, not the client's 5 ms default, which the awaited loop would pay per
 * record); every other client setting is Kafka's default on purpose: what a user's first loop gets.
 */
final class PerRecordBaseline implements Runnable {
  private final String bootstrap;
  private final String inputTopic;
  private final String outputTopic;
  private final long records;
  private final ModelSession session;
  private final AvroCodec<GenePanel> panels;
  private final AvroCodec<GeneExpression> expressions;
  private final boolean waitEachSend;

  PerRecordBaseline(
      String bootstrap,
      String inputTopic,
      String outputTopic,
      long records,
      ModelSession session,
      AvroCodec<GenePanel> panels,
      AvroCodec<GeneExpression> expressions,
      boolean waitEachSend) {
    this.bootstrap = bootstrap;
    this.inputTopic = inputTopic;
    this.outputTopic = outputTopic;
    this.records = records;
    this.session = session;
    this.panels = panels;
    this.expressions = expressions;
    this.waitEachSend = waitEachSend;
  }

  @Override
  public void run() {
    try {
      loop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new IllegalStateException("the baseline could not produce", e.getCause());
    }
  }

  private void loop() throws InterruptedException, ExecutionException {
    String input = session.metadata().inputs().get(0).name();
    String output = session.metadata().outputs().get(0).name();
    String version = Integer.toString(session.metadata().version());
    try (KafkaConsumer<String, byte[]> consumer =
            new KafkaConsumer<>(
                Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    bootstrap,
                    ConsumerConfig.GROUP_ID_CONFIG,
                    "bench-" + inputTopic,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                    "earliest",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                    "false"),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        KafkaProducer<String, byte[]> producer =
            new KafkaProducer<>(
                Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    bootstrap,
                    ProducerConfig.ACKS_CONFIG,
                    "all",
                    // Not the client default (5 ms): an awaited send would wait out the linger
                    // every record, and the baseline would measure that wait, not the loop.
                    ProducerConfig.LINGER_MS_CONFIG,
                    "0"),
                new StringSerializer(),
                new ByteArraySerializer())) {
      consumer.subscribe(List.of(inputTopic));
      long done = 0;
      while (done < records) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          GenePanel panel = panels.decode(record.value());
          float[] row = Floats.toArray(panel.getValues());
          float[] result =
              session.runRows(List.of(Map.of(input, Tensor.of(row)))).get(0).get(output).floats();
          GeneExpression expression =
              GeneExpression.newBuilder()
                  .setSampleId(panel.getSampleId())
                  .setModel(session.metadata().name())
                  .setModelVersion(version)
                  .setValues(Floats.view(result))
                  .build();
          Future<RecordMetadata> sent =
              producer.send(
                  new ProducerRecord<>(outputTopic, record.key(), expressions.encode(expression)));
          if (waitEachSend) {
            sent.get();
          }
          done++;
        }
        producer.flush();
        consumer.commitSync();
      }
    }
  }
}
