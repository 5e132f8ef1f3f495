package streaminfer.source;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
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

  /**
   * What a live run measured: the frames sent, the latency of every answer read back (ascending),
   * and when the first and the last answer came out (broker time, epoch milliseconds).
   */
  public record LiveRun(
      long sent, List<Double> latencies, long firstOutputMillis, long lastOutputMillis) {
    /**
     * Answers over the time they took to come out, first to last: not over the nominal run, which
     * would echo the offered rate whenever nothing is missing.
     */
    public double outputFps() {
      if (latencies.size() < 2) {
        return 0;
      }
      double seconds = Math.max(1e-3, (lastOutputMillis - firstOutputMillis) / 1e3);
      return (latencies.size() - 1) / seconds;
    }

    public double percentile(double which) {
      return LiveCameras.percentile(latencies, which);
    }

    /** Frames neither answered nor skipped by the engine. */
    public long missing(double skipped) {
      return Math.max(0, Math.round(sent - skipped - latencies.size()));
    }
  }

  /**
   * Plays {@code cameras} into {@code framesTopic} at {@code fps} for {@code seconds} while reading
   * {@code answersTopic} back, then waits up to {@code drain} until every frame is answered or
   * {@code skipped} (the engine's live mode) says it was dropped.
   */
  public static <T extends SpecificRecord> LiveRun run(
      String bootstrap,
      String framesTopic,
      String answersTopic,
      AvroCodec<T> codec,
      ToLongFunction<T> captureMicros,
      SyntheticCameras cameras,
      double fps,
      double seconds,
      Consumer<SyntheticCameras.Shot> onShot,
      Consumer<Answered<T>> onAnswered,
      DoubleSupplier skipped,
      Duration drain)
      throws InterruptedException {
    List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
    AtomicLong firstOutput = new AtomicLong(Long.MAX_VALUE);
    AtomicLong lastOutput = new AtomicLong(Long.MIN_VALUE);
    AtomicBoolean stop = new AtomicBoolean();
    Thread reader =
        reader(
            bootstrap,
            answersTopic,
            "bench-reader-" + answersTopic,
            codec,
            captureMicros,
            answered -> {
              latencies.add(answered.latencyMillis());
              firstOutput.accumulateAndGet(answered.outputMillis(), Math::min);
              lastOutput.accumulateAndGet(answered.outputMillis(), Math::max);
              onAnswered.accept(answered);
            },
            stop::get);
    long sent;
    try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
      sent = play(producer, framesTopic, cameras, fps, seconds, onShot);
    }
    long end = System.nanoTime() + drain.toNanos();
    while (latencies.size() + skipped.getAsDouble() < sent && System.nanoTime() < end) {
      Thread.sleep(50);
    }
    stop.set(true);
    reader.join();
    List<Double> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    return new LiveRun(sent, List.copyOf(sorted), firstOutput.get(), lastOutput.get());
  }

  /** The value at quantile {@code which} of ascending {@code sorted}; NaN when it is empty. */
  public static double percentile(List<Double> sorted, double which) {
    return sorted.isEmpty()
        ? Double.NaN
        : sorted.get((int) Math.min(sorted.size() - 1, which * sorted.size()));
  }
}
