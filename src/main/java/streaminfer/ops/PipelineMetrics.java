package streaminfer.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.header.Header;
import streaminfer.batch.BatchListener;
import streaminfer.stream.StreamMetrics;

/**
 * The meters of one pipeline: records in/out/dead-lettered, in-flight records, end-to-end latency
 * (record timestamp to acknowledged output) and consumer lag, plus the {@link ModelMetrics} of each
 * version of its main model. Names follow Prometheus conventions once exported ({@code
 * streaminfer_records_in_total}).
 */
public final class PipelineMetrics implements StreamMetrics {
  /** Dead letters kept with their reasons for the dashboard. */
  private static final int RECENT_DEAD_LETTERS = 20;

  private final MeterRegistry registry;
  private final String pipeline;
  private final Counter recordsIn;
  private final Counter recordsOut;
  private final Counter recordsSkipped;
  private final Counter recordsTimedOut;
  private final Counter commitFailures;
  private final Counter consumerErrors;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong consumerLag = new AtomicLong();
  private final Timer recordLatency;
  private final String model;
  // Every version loaded, the serving one last (a hot reload appends).
  private final List<ModelMetrics> mainModelVersions = new CopyOnWriteArrayList<>();
  private final DeadLetterLog deadLetters =
      new DeadLetterLog(RECENT_DEAD_LETTERS, Clock.systemUTC());

  public PipelineMetrics(MeterRegistry registry, String pipeline, String model) {
    this.registry = registry;
    this.pipeline = pipeline;
    this.recordsIn = registry.counter("streaminfer.records.in", "pipeline", pipeline);
    this.recordsOut = registry.counter("streaminfer.records.out", "pipeline", pipeline);
    this.recordsSkipped = registry.counter("streaminfer.records.skipped", "pipeline", pipeline);
    this.recordsTimedOut = registry.counter("streaminfer.records.timed.out", "pipeline", pipeline);
    this.commitFailures = registry.counter("streaminfer.commit.failures", "pipeline", pipeline);
    this.consumerErrors = registry.counter("streaminfer.consumer.errors", "pipeline", pipeline);
    registry.gauge("streaminfer.records.inflight", tags(), inFlight);
    Gauge.builder("streaminfer.consumer.lag", consumerLag, AtomicLong::doubleValue)
        .baseUnit("records")
        .description("end offsets minus committed offsets of the pipeline's group")
        .tags(tags())
        .register(registry);
    this.recordLatency =
        Timer.builder("streaminfer.record.latency")
            .description("from the input record's timestamp to the acknowledged output")
            .tag("pipeline", pipeline)
            .publishPercentiles(0.5, 0.99)
            .publishPercentileHistogram()
            .distributionStatisticExpiry(Duration.ofSeconds(10))
            .register(registry);
    this.model = model;
  }

  private Iterable<io.micrometer.core.instrument.Tag> tags() {
    return java.util.List.of(io.micrometer.core.instrument.Tag.of("pipeline", pipeline));
  }

  @Override
  public void received(int partition, long offset) {
    recordsIn.increment();
  }

  @Override
  public void produced(long recordTimestampMillis) {
    recordsOut.increment();
    long latency = System.currentTimeMillis() - recordTimestampMillis;
    if (latency >= 0) {
      recordLatency.record(latency, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void rebalanced(String event, int partitions) {
    registry.counter("streaminfer.rebalances", "pipeline", pipeline, "event", event).increment();
  }

  /** Kafka's own client metrics ({@code kafka_consumer_*}, {@code kafka_producer_*}). */
  @Override
  public Binding kafkaClients(Consumer<?, ?> consumer, Producer<?, ?> producer) {
    KafkaClientMetrics consumerMetrics = new KafkaClientMetrics(consumer, tags());
    KafkaClientMetrics producerMetrics = new KafkaClientMetrics(producer, tags());
    consumerMetrics.bindTo(registry);
    producerMetrics.bindTo(registry);
    return () -> {
      consumerMetrics.close();
      producerMetrics.close();
    };
  }

  @Override
  public void deadLettered(String reason) {
    registry
        .counter("streaminfer.records.deadlettered", "pipeline", pipeline, "reason", reason)
        .increment();
  }

  @Override
  public void deadLetterSent(String key, List<Header> headers) {
    deadLetters.add(pipeline, key, headers);
  }

  /** The latest dead letters with their reasons, oldest first. */
  public List<DeadLetterLog.Entry> recentDeadLetters() {
    return deadLetters.latest();
  }

  @Override
  public void skipped() {
    recordsSkipped.increment();
  }

  @Override
  public void timedOut() {
    recordsTimedOut.increment();
  }

  @Override
  public void commitFailed() {
    commitFailures.increment();
  }

  @Override
  public void consumerError() {
    consumerErrors.increment();
  }

  public double recordsTimedOut() {
    return recordsTimedOut.count();
  }

  public double commitFailures() {
    return commitFailures.count();
  }

  public double consumerErrors() {
    return consumerErrors.count();
  }

  public double recordsSkipped() {
    return recordsSkipped.count();
  }

  @Override
  public void inFlight(int records) {
    inFlight.set(records);
  }

  /** The batch meters of {@code version} of the pipeline's main model. */
  public BatchListener mainModel(int version) {
    ModelMetrics metrics = new ModelMetrics(registry, model, version);
    mainModelVersions.add(metrics);
    return metrics;
  }

  public int inFlight() {
    return inFlight.get();
  }

  public void consumerLag(long records) {
    consumerLag.set(records);
  }

  public String pipeline() {
    return pipeline;
  }

  public double recordsIn() {
    return recordsIn.count();
  }

  public double recordsOut() {
    return recordsOut.count();
  }

  public double deadLettered() {
    return registry
        .find("streaminfer.records.deadlettered")
        .tag("pipeline", pipeline)
        .counters()
        .stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  /** Mean batch size of the pipeline's main model (its latest version); 0 before one loaded. */
  public double meanBatchSize() {
    return mainModelVersions.isEmpty()
        ? 0
        : mainModelVersions.get(mainModelVersions.size() - 1).meanBatchSize();
  }

  public long consumerLag() {
    return consumerLag.get();
  }

  public Timer recordLatency() {
    return recordLatency;
  }

  /** Batches the main model ran, all its versions together. */
  public long batches() {
    return mainModelVersions.stream().mapToLong(metrics -> metrics.batchSize().count()).sum();
  }

  /** Records in those batches. */
  public double batchedRecords() {
    return mainModelVersions.stream()
        .mapToDouble(metrics -> metrics.batchSize().totalAmount())
        .sum();
  }
}
