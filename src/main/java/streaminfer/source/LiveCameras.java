package streaminfer.source;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import streaminfer.bench.Backlog;
import streaminfer.codec.AvroCodec;
import streaminfer.codec.WriterSchemas;
import streaminfer.v1.Frame;

/**
 * Synthetic cameras played into a frames topic at their frame rate, and a frame family's outputs
 * read back with their latency from capture to the engine's output: what the frame families' live
 * and cold-start benchmarks measure.
 */
public final class LiveCameras {
  private static final AvroCodec<Frame> FRAMES = AvroCodec.forType(Frame.class, WriterSchemas.v1());

  /**
   * An output record read back, with the milliseconds from its frame's capture to its output and
   * the output's broker timestamp (epoch milliseconds).
   */
  public record Answered<T>(T value, double latencyMillis, long outputMillis) {}

  private LiveCameras() {}

  /** A producer that sends each frame at once, as a camera would. */
  public static KafkaProducer<String, byte[]> producer(String bootstrap) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ProducerConfig.LINGER_MS_CONFIG,
            "0"),
        new StringSerializer(),
        new ByteArraySerializer());
  }

  /**
   * Sends a frame of every camera each tick for {@code seconds} at {@code fps}, keyed by stream,
   * each shot shown to {@code onShot} first; returns the frames sent, once all are flushed.
   */
  public static long play(
      KafkaProducer<String, byte[]> producer,
      String topic,
      SyntheticCameras cameras,
      double fps,
      double seconds,
      Consumer<SyntheticCameras.Shot> onShot)
      throws InterruptedException {
    long periodNanos = Math.round(1e9 / fps);
    long ticks = Math.round(seconds * fps);
    long sent = 0;
    long start = System.nanoTime();
    for (long tick = 0; tick < ticks; tick++) {
      long wait = start + tick * periodNanos - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      for (int stream = 0; stream < cameras.streams(); stream++) {
        SyntheticCameras.Shot shot = cameras.next(stream);
        onShot.accept(shot);
        Frame frame = shot.frame();
        producer.send(new ProducerRecord<>(topic, frame.getStreamId(), FRAMES.encode(frame)));
        sent++;
      }
    }
    producer.flush();
    return sent;
  }

  /**
   * A started thread that reads {@code topic} from its start and hands every output, decoded by
   * {@code codec}, to {@code onAnswered} until {@code done} holds. The output record's timestamp is
   * when the engine produced it, so the reader's own delay is not counted.
   *
   * @param captureMicros the capture time (microseconds since the epoch) an output carries
   */
  public static <T extends SpecificRecord> Thread reader(
      String bootstrap,
      String topic,
      String group,
      AvroCodec<T> codec,
      ToLongFunction<T> captureMicros,
      Consumer<Answered<T>> onAnswered,
      BooleanSupplier done) {
    Thread reader =
        new Thread(
            () -> {
              try (KafkaConsumer<String, byte[]> consumer =
                  Backlog.readerFromStart(bootstrap, topic, group)) {
                while (!done.getAsBoolean()) {
                  for (ConsumerRecord<String, byte[]> record :
                      consumer.poll(Duration.ofMillis(20))) {
                    T value = codec.decode(record.value());
                    onAnswered.accept(
                        new Answered<>(
                            value,
                            record.timestamp() - captureMicros.applyAsLong(value) / 1000.0,
                            record.timestamp()));
                  }
                }
              }
            },
            topic + "-reader");
    reader.start();
    return reader;
  }

  /** The value at quantile {@code which} of ascending {@code sorted}; NaN when it is empty. */
  public static double percentile(List<Double> sorted, double which) {
    return sorted.isEmpty()
        ? Double.NaN
        : sorted.get((int) Math.min(sorted.size() - 1, which * sorted.size()));
  }
}
