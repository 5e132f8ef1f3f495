package streaminfer.stream;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import io.vertx.kafka.client.producer.KafkaHeader;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import streaminfer.stream.state.PartitionRevokedException;
import streaminfer.stream.state.StreamState;

/**
 * Ingress and egress of one pipeline: consumes the input topic, hands each record to the {@link
 * RecordProcessor} (once its partition's state is restored), produces its outputs in input order
 * per partition or dead-letters the failures (with the original key and value), and commits a
 * partition's offset only once every record below it is acknowledged: all its outputs, or its dead
 * letter.
 *
 * <p>Backpressure: when {@code maxInFlightRecords} records are unacknowledged the consumer is
 * paused; it resumes at half that. While paused it still polls (every assigned partition paused in
 * the client) so that it stays in its group however long the pause; a halted pipeline does not, and
 * leaves the group after {@code max.poll.interval.ms} so that another member takes over.
 *
 * <p>Deadline: a record the processor has not finished {@code recordTimeoutMillis} after its
 * receipt is dead-lettered with a {@link RecordTimeoutException}, so a hung call cannot hold its
 * partition's commits and the in-flight bound forever; the processor's late outcome is ignored. For
 * {@link #READINESS_WINDOW_MILLIS} (or one deadline, if longer) after a timeout the pipeline
 * reports itself {@link #stuck}.
 *
 * <p>Threading: every field is confined to this verticle's event loop (but {@link #fenceRevoked},
 * on the poll thread, which touches only the thread-safe state and producer); completions from
 * worker threads hop back with {@code runOnContext}.
 */
public final class StreamVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(StreamVerticle.class);
  static final long READINESS_WINDOW_MILLIS = 60_000;
  private static final long DEFAULT_MAX_POLL_INTERVAL_MILLIS = 300_000;
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
  // How much longer than one record's deadline a handover may wait for the transaction's commit.
  private static final long HANDOVER_MARGIN_MILLIS = 30_000;
  private static final long DEFAULT_TRANSACTION_TIMEOUT_MILLIS = 10_000;

  private final StreamConfig config;
  // Replaced on the event loop (a model version swap): records dispatched after go to the new one.
  private RecordProcessor processor;
  // Per processor, the records dispatched to it and not finished; a replaced one is retired (its
  // promise completed) when its count reaches zero.
  private final Map<RecordProcessor, Integer> unfinishedPerProcessor = new IdentityHashMap<>();
  private final Map<RecordProcessor, Promise<RecordProcessor>> retiring = new IdentityHashMap<>();
  private final StreamState state;
  private final StreamMetrics metrics;
  private final RecordTracer tracer;
  private final Map<TopicPartition, PartitionLane> lanes = new HashMap<>();
  // Revoked lanes whose records are still in flight: they still time out.
  private final Set<PartitionLane> retired = new HashSet<>();
  private final AcknowledgedPositions positions = new AcknowledgedPositions();
  private FencingConsumer fencing;
  private KafkaConsumer<String, byte[]> consumer;
  private KafkaProducer<String, byte[]> producer;
  private StreamMetrics.Binding clientMetrics = StreamMetrics.Binding.NONE;
  // Read once at start, on a worker thread; then only on the event loop.
  private volatile OutputSizeLimits sizeLimits = OutputSizeLimits.NONE;
  private int inFlight;
  private boolean paused;
  private boolean stopping;
  // Written on the event loop, read by the health endpoint's thread.
  private volatile Throwable fatal;
  // Written on the consumer's callback, read by the readiness endpoint's thread.
  private volatile boolean joined;
  private Promise<Void> drained;
  private long commitTimer;
  private long deadlineTimer;
  private long keepAliveTimer;
  private int commitFailureStreak;
  // Exactly-once only: the open transaction and what closing it waits for.
  private Transactions transactions;
  private final Set<PartitionLane.Slot> processing = new HashSet<>();
  private int sendsOutstanding;
  private boolean cutting;
  private boolean committingTransaction;
  private boolean lastTransaction;
  // The last transaction committed: the stop's; the close's handover has nothing left to commit.
  private boolean transactionsEnded;
  private long acknowledgedSinceCommit;
  private final ArrayDeque<Runnable> deferredDispatches = new ArrayDeque<>();
  // Revoked lanes whose last offsets the next transaction commits, each up to its first record
  // not given to the processor when it was revoked: that one and those after it are dropped, for
  // the next owner; those before it are finished and sent in the transaction.
  private final Map<TopicPartition, PartitionLane> handingOver = new HashMap<>();
  private final Map<PartitionLane, Long> handoverLimits = new HashMap<>();
  private final List<Promise<Void>> transactionCommitted = new ArrayList<>();
  // Asked for while a commit was under way: what it commits was decided before they asked.
  private final List<Promise<Void>> nextTransactionCommitted = new ArrayList<>();
  // Written on the event loop, read by the readiness endpoint's thread.
  private volatile long recordsTimedOut;
  private volatile long lastTimeoutNanos;

  public StreamVerticle(
      StreamConfig config, RecordProcessor processor, StreamState state, StreamMetrics metrics) {
    this(config, processor, state, metrics, RecordTracer.NONE);
  }

  public StreamVerticle(
      StreamConfig config,
      RecordProcessor processor,
      StreamState state,
      StreamMetrics metrics,
      RecordTracer tracer) {
    this.config = config;
    this.processor = processor;
    this.state = state;
    this.metrics = metrics;
    this.tracer = tracer;
  }

  @Override
  public Future<?> start() {
    producer =
        KafkaProducer.create(
            vertx, producerConfig(), new StringSerializer(), new ByteArraySerializer());
    // State writes and emitted records share the outputs' producer (one transaction, later).
    state.attach(producer.unwrap());
    Map<String, Object> consumerConfig = consumerConfig();
    fencing =
        new FencingConsumer(
            consumerConfig,
            this::fenceRevoked,
            positions,
            metrics,
            exactlyOnce() ? Optional.of(new TransactionalHandover()) : Optional.empty());
    consumer = KafkaConsumer.create(vertx, fencing);
    clientMetrics = metrics.kafkaClients(fencing, producer.unwrap());
    // Vert.x runs a commit on the consumer's thread after the poll under way: a poll that waits
    // Vert.x's default second for records would hold every commit of an idle partition as long.
    consumer.pollTimeout(POLL_TIMEOUT);
    // Runs on the consumer's thread.
    consumer.exceptionHandler(
        error -> {
          // Closing the consumer wakes its poll up; that is the stop, not a failure.
          if (stopping && error instanceof WakeupException) {
            LOG.debug("{}: consumer woken up to close", config.inputTopic());
          } else {
            metrics.consumerError();
            LogContext.pipeline(
                config.pipeline(),
                () -> LOG.error("{}: consumer error", config.inputTopic(), error));
          }
        });
    consumer.partitionsRevokedHandler(this::onRevoked);
    consumer.partitionsAssignedHandler(
        assigned -> {
          metrics.rebalanced("assigned", assigned.size());
          state.assigned(partitionNumbers(assigned));
          joined = true;
        });
    consumer.handler(this::onRecord);
    commitTimer =
        vertx.setPeriodic(
            config.commitIntervalMillis(),
            id -> {
              if (exactlyOnce()) {
                closeTransaction(false);
              } else {
                commit();
              }
            });
    // Overdue records are found within a quarter deadline (at most a second) of their deadline.
    deadlineTimer =
        vertx.setPeriodic(
            Math.max(1, Math.min(1_000, config.recordTimeoutMillis() / 4)), id -> timeOutOverdue());
    keepAliveTimer =
        vertx.setPeriodic(
            Math.max(1, Math.min(1_000, maxPollIntervalMillis(consumerConfig) / 3)),
            id -> keepAlive());
    // The output topics' metadata is fetched now, not on the first record's send.
    List<Future<?>> metadata = new ArrayList<>();
    for (String topic : config.outputTopics()) {
      metadata.add(producer.partitionsFor(topic));
    }
    metadata.add(producer.partitionsFor(config.deadLetterTopic()));
    Future<?> ready =
        Future.all(metadata)
            .compose(
                known ->
                    vertx.executeBlocking(
                        () -> {
                          sizeLimits =
                              OutputSizeLimits.fetch(
                                  config.bootstrapServers(),
                                  config.clientOverrides(),
                                  producerConfig(),
                                  config.outputTopics());
                          return null;
                        }));
    if (exactlyOnce()) {
      transactions = new Transactions(producer.unwrap(), config.inputTopic());
      ready = ready.compose(known -> Future.fromCompletionStage(transactions.begin(), context));
    }
    return ready
        .compose(known -> consumer.subscribe(config.inputTopic()))
        .onSuccess(
            subscribed ->
                LogContext.pipeline(
                    config.pipeline(),
                    () ->
                        LOG.info(
                            "pipeline {} consumes {} as group {} ({})",
                            config.pipeline(),
                            config.inputTopic(),
                            config.groupId(),
                            config.delivery().configName())));
  }

  /** Drains: stops fetching, waits for in-flight records to be produced, commits, closes. */
  @Override
  public Future<?> stop() {
    stopping = true;
    hold();
    drained = Promise.promise();
    if (inFlight == 0) {
      drained.tryComplete();
    }
    long timeout =
        vertx.setTimer(
            config.drainTimeoutMillis(),
            id -> {
              LogContext.pipeline(
                  config.pipeline(),
                  () ->
                      LOG.warn(
                          "{}: {} records still in flight after {} ms; they will be redelivered",
                          config.inputTopic(),
                          inFlight,
                          config.drainTimeoutMillis()));
              drained.tryComplete();
            });
    return drained
        .future()
        .compose(
            v -> {
              vertx.cancelTimer(timeout);
              vertx.cancelTimer(commitTimer);
              vertx.cancelTimer(deadlineTimer);
              vertx.cancelTimer(keepAliveTimer);
              if (!exactlyOnce()) {
                return commit();
              }
              // An open transaction would hold the producer's close until it times out.
              lastTransaction = true;
              return closeTransaction(true);
            })
        .eventually(() -> consumer.close())
        .eventually(() -> producer.close())
        .onComplete(
            closed -> {
              if (transactions != null) {
                transactions.close();
              }
              clientMetrics.close();
            });
  }

  /** Whether the pipeline is consuming; false after a fatal produce failure. */
  public boolean healthy() {
    return fatal == null;
  }

  /**
   * Whether the consumer has joined its group and been given its partitions (possibly none): until
   * then a record on the input waits for the group protocol, so the pipeline is not ready.
   */
  public boolean joined() {
    return joined;
  }

  /**
   * Why the pipeline is not ready because of stuck records: some timed out within the last {@link
   * #READINESS_WINDOW_MILLIS} (or one deadline, if longer); empty otherwise.
   */
  public Optional<String> stuck() {
    long count = recordsTimedOut;
    if (count == 0) {
      return Optional.empty();
    }
    long agoMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastTimeoutNanos);
    if (agoMillis > Math.max(READINESS_WINDOW_MILLIS, config.recordTimeoutMillis())) {
      return Optional.empty();
    }
    return Optional.of(
        "pipeline "
            + config.pipeline()
            + ": "
            + count
            + " records timed out so far (not processed within "
            + config.recordTimeoutMillis()
            + " ms), the last "
            + agoMillis
            + " ms ago");
  }

  private void onRecord(KafkaConsumerRecord<String, byte[]> record) {
    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
    PartitionLane lane =
        lanes.computeIfAbsent(partition, p -> new PartitionLane(!state.stateful()));
    PartitionLane.Slot slot =
        lane.append(
            record.offset(), record.timestamp(), record.key(), record.value(), System.nanoTime());
    RecordTracer.Started traced =
        tracer.start(
            record.topic(), record.partition(), record.offset(), TraceContext.of(record.headers()));
    slot.trace = traced.outputTrace();
    slot.span = traced.span();
    metrics.received(record.partition(), record.offset());
    inFlight++;
    metrics.inFlight(inFlight);
    if (inFlight >= config.maxInFlightRecords() && !paused) {
      hold();
    }
    if (lane.stateRestored()) {
      dispatch(partition, lane, slot);
    } else {
      lane.hold(slot);
      awaitState(partition, lane);
    }
  }

  /**
   * Holds the partition's records until its state is restored, then hands them over in order. A
   * failed restore fails the records that waited for it; the next record starts another.
   */
  private void awaitState(TopicPartition partition, PartitionLane lane) {
    if (!lane.startRestore()) {
      return;
    }
    state
        .restored(partition.getPartition())
        .whenComplete(
            (restored, failure) ->
                context.runOnContext(
                    v -> {
                      boolean owned = lanes.get(partition) == lane;
                      boolean succeeded = failure == null && owned;
                      List<PartitionLane.Slot> held = lane.restoreEnded(succeeded);
                      if (succeeded) {
                        held.forEach(slot -> dispatch(partition, lane, slot));
                        return;
                      }
                      Throwable cause =
                          failure != null
                              ? failure
                              : new PartitionRevokedException(partition.getPartition());
                      // A record that timed out while waiting keeps its timeout.
                      held.forEach(slot -> slot.finish(null, cause));
                      sendReady(partition, lane);
                    }));
  }

  private void dispatch(TopicPartition partition, PartitionLane lane, PartitionLane.Slot slot) {
    if (slot.done()) {
      // Timed out while its partition's state was restored.
      return;
    }
    if (exactlyOnce() && lanes.get(partition) != lane) {
      // Handed over: the next owner processes it.
      slot.finish(null, new PartitionRevokedException(partition.getPartition()));
      sendReady(partition, lane);
      return;
    }
    if (cutting) {
      // Its state writes would go into the closing transaction, its offset into the next one.
      deferredDispatches.add(() -> dispatch(partition, lane, slot));
      return;
    }
    if (exactlyOnce()) {
      processing.add(slot);
    }
    slot.dispatched();
    RecordProcessor used = processor;
    unfinishedPerProcessor.merge(used, 1, Integer::sum);
    CompletionStage<List<Output>> result;
    try {
      result = used.process(partition.getPartition(), slot.key, slot.value());
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    result.whenComplete(
        (outputs, failure) ->
            context.runOnContext(
                v -> {
                  finishedIn(used);
                  processing.remove(slot);
                  if (slot.finish(outputs, failure)) {
                    sendReady(partition, lane);
                    closeTransactionIfQuiet();
                  } else {
                    LOG.debug(
                        "{}: offset {} finished after it timed out; outcome ignored",
                        partition,
                        slot.offset);
                  }
                }));
  }

  /**
   * Hands every record dispatched from now on to {@code next}, a processor of another model
   * version: since a partition's records are dispatched in offset order, each partition switches at
   * one offset. Completes with the replaced processor once every record it was given has finished,
   * when it may be closed.
   */
  public Future<RecordProcessor> replaceProcessor(RecordProcessor next) {
    Promise<RecordProcessor> retired = Promise.promise();
    context.runOnContext(
        v -> {
          RecordProcessor previous = processor;
          processor = next;
          if (unfinishedPerProcessor.getOrDefault(previous, 0) == 0) {
            retired.complete(previous);
          } else {
            retiring.put(previous, retired);
          }
        });
    return retired.future();
  }

  private void finishedIn(RecordProcessor used) {
    int left = unfinishedPerProcessor.merge(used, -1, Integer::sum);
    if (left == 0) {
      unfinishedPerProcessor.remove(used);
      Promise<RecordProcessor> retired = retiring.remove(used);
      if (retired != null) {
        retired.complete(used);
      }
    }
  }

  /** Dead-letters, in offset order, every record its processor has not finished in time. */
  private void timeOutOverdue() {
    long now = System.nanoTime();
    long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(config.recordTimeoutMillis());
    retired.removeIf(lane -> lane.inFlight() == 0);
    List<Map.Entry<TopicPartition, PartitionLane>> all = new ArrayList<>(lanes.entrySet());
    // A retired lane's records are dropped, not dead-lettered: the partition's owner has them.
    retired.forEach(lane -> all.add(Map.entry(new TopicPartition(config.inputTopic(), -1), lane)));
    for (Map.Entry<TopicPartition, PartitionLane> entry : all) {
      TopicPartition partition = entry.getKey();
      PartitionLane lane = entry.getValue();
      List<PartitionLane.Slot> overdue = lane.overdue(now, timeoutNanos);
      if (overdue.isEmpty()) {
        continue;
      }
      for (PartitionLane.Slot slot : overdue) {
        // A hung call is not waited for: a transaction closes without it.
        processing.remove(slot);
        if (slot.timeOut(new RecordTimeoutException(config.recordTimeoutMillis()))) {
          metrics.timedOut();
          recordsTimedOut++;
          lastTimeoutNanos = now;
          LogContext.record(
              config.pipeline(),
              partition,
              slot.offset,
              () ->
                  LOG.warn(
                      "{}: offset {} not processed within {} ms; dead-lettering it",
                      partition,
                      slot.offset,
                      config.recordTimeoutMillis()));
        }
      }
      if (lanes.get(partition) == lane) {
        sendReady(partition, lane);
      } else {
        lane.takeSendable().forEach(slot -> acknowledged(partition, lane, slot));
      }
    }
    closeTransactionIfQuiet();
  }

  private void sendReady(TopicPartition partition, PartitionLane lane) {
    // Handed over: records the processor had go out in the handover's transaction; the next owner
    // reads the others again from the offset it commits.
    long dropFrom =
        exactlyOnce() && lanes.get(partition) != lane
            ? handoverLimits.getOrDefault(lane, Long.MIN_VALUE)
            : Long.MAX_VALUE;
    for (PartitionLane.Slot slot : lane.takeSendable()) {
      if (slot.offset >= dropFrom) {
        acknowledged(partition, lane, slot);
        continue;
      }
      Throwable failure = slot.failure() != null ? slot.failure() : undeclared(slot.outputs());
      if (failure == null) {
        failure = oversized(slot);
      }
      if (failure == null && slot.outputs().isEmpty()) {
        metrics.skipped();
        RecordTracer.succeeded(slot.span, 0);
        acknowledged(partition, lane, slot);
      } else if (failure == null) {
        send(partition, lane, slot);
      } else if (DeadLetters.rootOf(failure) instanceof PartitionRevokedException
          && lanes.get(partition) != lane) {
        // Its state belongs to the partition's new owner, which redelivers the record.
        LOG.debug("{}: offset {} dropped, partition revoked", partition, slot.offset);
        acknowledged(partition, lane, slot);
      } else {
        slot.refuse(failure);
        sendDeadLetter(partition, lane, slot);
      }
    }
  }

  private RecordTooLargeException oversized(PartitionLane.Slot slot) {
    for (Output output : slot.outputs()) {
      String key = output.key() == null ? slot.key : output.key();
      RecordTooLargeException refused =
          sizeLimits.check(output.topic(), key, output.value(), slot.trace);
      if (refused != null) {
        return refused;
      }
    }
    return null;
  }

  private UndeclaredTopicException undeclared(List<Output> outputs) {
    for (Output output : outputs) {
      if (!config.outputTopics().contains(output.topic())) {
        return new UndeclaredTopicException(output.topic(), config.outputTopics());
      }
    }
    return null;
  }

  private void send(TopicPartition partition, PartitionLane lane, PartitionLane.Slot slot) {
    for (Output output : slot.outputs()) {
      String key = output.key() == null ? slot.key : output.key();
      sendsOutstanding++;
      KafkaProducerRecord<String, byte[]> out =
          KafkaProducerRecord.create(output.topic(), key, output.value());
      out.addHeaders(slot.trace);
      producer
          .send(out)
          .onComplete(
              sent -> {
                sendsOutstanding--;
                if (sent.succeeded()) {
                  if (slot.outputAcknowledged()) {
                    metrics.produced(slot.timestamp);
                    RecordTracer.succeeded(slot.span, slot.outputs().size());
                    acknowledged(partition, lane, slot);
                  }
                } else if (slot.refuse(sent.cause())) {
                  LogContext.record(
                      config.pipeline(),
                      partition,
                      slot.offset,
                      () ->
                          LOG.warn(
                              "{}: an output of offset {} could not be produced; dead-lettering the input",
                              partition,
                              slot.offset,
                              sent.cause()));
                  sendDeadLetter(partition, lane, slot);
                }
                closeTransactionIfQuiet();
              });
    }
  }

  private void sendDeadLetter(
      TopicPartition partition, PartitionLane lane, PartitionLane.Slot slot) {
    KafkaProducerRecord<String, byte[]> letter =
        KafkaProducerRecord.create(config.deadLetterTopic(), slot.key, slot.value());
    List<Header> headers =
        DeadLetters.headers(
            config.pipeline(),
            partition.getTopic(),
            partition.getPartition(),
            slot.offset,
            slot.failure());
    headers.forEach(h -> letter.addHeader(KafkaHeader.header(h.key(), h.value())));
    letter.addHeaders(slot.trace);
    sendsOutstanding++;
    producer
        .send(letter)
        .onComplete(
            sent -> {
              sendsOutstanding--;
              if (sent.succeeded()) {
                metrics.deadLettered(DeadLetters.rootOf(slot.failure()).getClass().getSimpleName());
                RecordTracer.deadLettered(slot.span, slot.failure());
                metrics.deadLetterSent(slot.key, headers);
                acknowledged(partition, lane, slot);
              } else {
                halt(sent.cause());
              }
              closeTransactionIfQuiet();
            });
  }

  private void acknowledged(TopicPartition partition, PartitionLane lane, PartitionLane.Slot slot) {
    lane.acknowledge(slot);
    if (lanes.get(partition) == lane) {
      positions.publish(kafkaPartition(partition), lane.committablePosition());
    }
    acknowledgedSinceCommit++;
    inFlight--;
    metrics.inFlight(inFlight);
    if (paused && !stopping && fatal == null && inFlight <= config.maxInFlightRecords() / 2) {
      paused = false;
      fencing.hold(false);
      consumer.resume();
    }
    if (stopping && inFlight == 0 && drained != null) {
      drained.tryComplete();
    }
  }

  /**
   * A dead letter itself could not be written: nothing may be committed past it, so the pipeline
   * stops consuming and reports unhealthy; a restart redelivers from the last committed offset.
   */
  private void halt(Throwable cause) {
    if (fatal == null) {
      LogContext.pipeline(
          config.pipeline(),
          () ->
              LOG.error(
                  "{}: a dead letter could not be produced; the pipeline stops consuming",
                  config.inputTopic(),
                  cause));
      fatal = cause;
      hold();
    }
  }

  /** Stops handing out records; see {@link #keepAlive} for how the member stays in its group. */
  private void hold() {
    paused = true;
    fencing.hold(true);
    consumer.pause();
  }

  /**
   * A paused Vert.x consumer stops polling; this poll, with every partition paused in the client,
   * keeps the member in its group. A halted pipeline is let go, for another member to take over.
   */
  private void keepAlive() {
    if (!paused || fatal != null) {
      return;
    }
    consumer
        .poll(FencingConsumer.KEEP_ALIVE)
        .onSuccess(
            records -> {
              if (!records.isEmpty()) {
                // Cannot happen: every assigned partition is paused for a keep-alive poll.
                LogContext.pipeline(
                    config.pipeline(),
                    () ->
                        LOG.error(
                            "{}: {} records returned while paused; they will be redelivered",
                            config.inputTopic(),
                            records.size()));
              }
            });
  }

  private boolean exactlyOnce() {
    return config.delivery() == Delivery.EXACTLY_ONCE;
  }

  /**
   * Exactly-once: starts closing the open transaction. Records stop going to the processor until it
   * is committed, so that every state write and output in it belongs to a record whose offset it
   * commits; it commits once no record is being processed and nothing is being sent. Without {@code
   * force}, a transaction nothing was acknowledged in stays open.
   */
  private Future<Void> closeTransaction(boolean force) {
    if (fatal != null) {
      return Future.failedFuture(fatal);
    }
    if (transactionsEnded) {
      return Future.succeededFuture();
    }
    Promise<Void> committed = Promise.promise();
    if (!cutting && !force && acknowledgedSinceCommit == 0 && handingOver.isEmpty()) {
      committed.complete();
      return committed.future();
    }
    if (committingTransaction) {
      nextTransactionCommitted.add(committed);
    } else {
      transactionCommitted.add(committed);
      cutting = true;
      closeTransactionIfQuiet();
    }
    return committed.future();
  }

  private void closeTransactionIfQuiet() {
    if (!cutting
        || committingTransaction
        || fatal != null
        || !processing.isEmpty()
        || sendsOutstanding > 0) {
      return;
    }
    committingTransaction = true;
    Map<TopicPartition, PartitionLane> committing = new HashMap<>(lanes);
    committing.putAll(handingOver);
    Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata>
        offsets = new HashMap<>();
    committing.forEach(
        (partition, lane) ->
            lane.positionToCommit(handoverLimits.getOrDefault(lane, Long.MAX_VALUE))
                .ifPresent(
                    position ->
                        offsets.put(
                            kafkaPartition(partition),
                            new org.apache.kafka.clients.consumer.OffsetAndMetadata(position))));
    acknowledgedSinceCommit = 0;
    transactions
        .commit(offsets, fencing.lastGroupMetadata(), !lastTransaction)
        .whenComplete(
            (done, failure) ->
                context.runOnContext(v -> transactionClosed(committing, offsets, failure)));
  }

  private void transactionClosed(
      Map<TopicPartition, PartitionLane> committing,
      Map<
              org.apache.kafka.common.TopicPartition,
              org.apache.kafka.clients.consumer.OffsetAndMetadata>
          offsets,
      Throwable failure) {
    committingTransaction = false;
    List<Promise<Void>> waiting = List.copyOf(transactionCommitted);
    transactionCommitted.clear();
    committing.forEach(
        (partition, lane) -> {
          if (handingOver.remove(partition, lane)) {
            handoverLimits.remove(lane);
          }
        });
    if (failure != null) {
      metrics.commitFailed();
      LogContext.pipeline(
          config.pipeline(),
          () ->
              LOG.error(
                  "{}: a transaction could not be committed; the pipeline stops consuming, and its"
                      + " uncommitted records are read again by the partitions' next owner",
                  config.inputTopic(),
                  failure));
      if (fatal == null) {
        fatal = failure;
        hold();
      }
      waiting.forEach(promise -> promise.tryFail(failure));
      nextTransactionCommitted.forEach(promise -> promise.tryFail(failure));
      nextTransactionCommitted.clear();
      return;
    }
    committing.forEach(
        (partition, lane) -> {
          org.apache.kafka.clients.consumer.OffsetAndMetadata offset =
              offsets.get(kafkaPartition(partition));
          if (offset != null) {
            lane.markCommitted(offset.offset());
          }
        });
    cutting = false;
    transactionsEnded = lastTransaction;
    waiting.forEach(Promise::tryComplete);
    if (!nextTransactionCommitted.isEmpty()) {
      transactionCommitted.addAll(nextTransactionCommitted);
      nextTransactionCommitted.clear();
      cutting = true;
      closeTransactionIfQuiet();
    }
    while (!cutting && !deferredDispatches.isEmpty()) {
      deferredDispatches.poll().run();
    }
  }

  /**
   * Runs on the poll thread while the member gives partitions up: each step runs on the event loop
   * and is waited for, so the last offsets of the partitions are in a committed transaction before
   * another member can read from them.
   */
  private final class TransactionalHandover implements FencingConsumer.Handover {
    @Override
    public void retire(Collection<org.apache.kafka.common.TopicPartition> partitions) {
      onEventLoop(
          "retiring",
          partitions,
          () -> {
            for (org.apache.kafka.common.TopicPartition revoked : partitions) {
              TopicPartition partition = new TopicPartition(revoked.topic(), revoked.partition());
              PartitionLane lane = lanes.remove(partition);
              if (lane != null) {
                handingOver.put(partition, lane);
                handoverLimits.put(lane, lane.undispatchedFrom());
                if (lane.inFlight() > 0) {
                  retired.add(lane);
                }
              }
            }
            return Future.succeededFuture();
          });
    }

    @Override
    public void commit(Collection<org.apache.kafka.common.TopicPartition> partitions) {
      onEventLoop("committing", partitions, () -> closeTransaction(true));
    }

    private void onEventLoop(
        String step,
        Collection<org.apache.kafka.common.TopicPartition> partitions,
        java.util.function.Supplier<Future<Void>> action) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      context.runOnContext(
          v ->
              action
                  .get()
                  .onComplete(
                      result -> {
                        if (result.succeeded()) {
                          done.complete(null);
                        } else {
                          done.completeExceptionally(result.cause());
                        }
                      }));
      try {
        done.get(config.recordTimeoutMillis() + HANDOVER_MARGIN_MILLIS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        // The next owner reads from the last committed offsets; a transaction committed later
        // carries this member's old generation and is refused.
        LOG.warn("{}: {} revoked partitions {} failed", config.inputTopic(), step, partitions, e);
      }
    }
  }

  private Future<Void> commit() {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    lanes.forEach(
        (partition, lane) -> {
          // A partition revoked on the poll thread had its last commit there.
          if (positions.owned(kafkaPartition(partition))) {
            lane.positionToCommit()
                .ifPresent(position -> offsets.put(partition, new OffsetAndMetadata(position, "")));
          }
        });
    if (offsets.isEmpty()) {
      return Future.succeededFuture();
    }
    return consumer
        .commit(offsets)
        .onSuccess(
            committed ->
                committed.forEach(
                    (partition, offset) -> {
                      PartitionLane lane = lanes.get(partition);
                      if (lane != null) {
                        lane.markCommitted(offset.getOffset());
                      }
                    }))
        .onComplete(
            done -> {
              if (done.succeeded()) {
                if (commitFailureStreak > 0) {
                  LogContext.pipeline(
                      config.pipeline(),
                      () ->
                          LOG.info(
                              "{}: commits succeed again after {} failures",
                              config.inputTopic(),
                              commitFailureStreak));
                }
                commitFailureStreak = 0;
                return;
              }
              metrics.commitFailed();
              // Once per streak: a broker away for a while fails every commit interval.
              if (commitFailureStreak++ == 0) {
                LogContext.pipeline(
                    config.pipeline(),
                    () ->
                        LOG.warn(
                            "{}: commit failed; retried every {} ms, logged again once one succeeds",
                            config.inputTopic(),
                            config.commitIntervalMillis(),
                            done.cause()));
              } else {
                LOG.debug("{}: commit failed again", config.inputTopic(), done.cause());
              }
            })
        .mapEmpty();
  }

  /**
   * Revoked partitions had their last commit on the poll thread ({@link FencingConsumer}), before
   * the member rejoined; a commit from here would come after another member may have resumed from
   * the committed offset. Records of theirs still in flight are produced but no longer committed,
   * so the new owner redelivers them (at-least-once, never lost). Their state writes and emitted
   * records were refused already ({@link #fenceRevoked}), and a record refused so is dropped.
   */
  private void onRevoked(Set<TopicPartition> revoked) {
    metrics.rebalanced("revoked", revoked.size());
    for (TopicPartition partition : List.copyOf(revoked)) {
      PartitionLane lane = lanes.remove(partition);
      if (lane != null && lane.inFlight() > 0) {
        retired.add(lane);
      }
    }
  }

  private static org.apache.kafka.common.TopicPartition kafkaPartition(TopicPartition partition) {
    return new org.apache.kafka.common.TopicPartition(
        partition.getTopic(), partition.getPartition());
  }

  private static long maxPollIntervalMillis(Map<String, Object> consumerConfig) {
    Object value = consumerConfig.get(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG);
    try {
      return value == null
          ? DEFAULT_MAX_POLL_INTERVAL_MILLIS
          : Long.parseLong(value.toString().trim());
    } catch (NumberFormatException e) {
      return DEFAULT_MAX_POLL_INTERVAL_MILLIS;
    }
  }

  /**
   * Runs on the consumer's poll thread, before it rejoins the group: from here on nothing is
   * written for these partitions' state, and what was written is acknowledged before another
   * instance can be assigned them and read their changelog.
   */
  private void fenceRevoked(Collection<org.apache.kafka.common.TopicPartition> revoked) {
    Set<Integer> partitions =
        revoked.stream()
            .filter(partition -> partition.topic().equals(config.inputTopic()))
            .map(org.apache.kafka.common.TopicPartition::partition)
            .collect(Collectors.toUnmodifiableSet());
    state.revoked(partitions);
    if (!partitions.isEmpty()) {
      producer.unwrap().flush();
    }
  }

  private Set<Integer> partitionNumbers(Set<TopicPartition> partitions) {
    return partitions.stream()
        .filter(partition -> partition.getTopic().equals(config.inputTopic()))
        .map(TopicPartition::getPartition)
        .collect(Collectors.toUnmodifiableSet());
  }

  private Map<String, Object> consumerConfig() {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
    props.putAll(config.clientOverrides());
    if (exactlyOnce()) {
      // Inputs an upstream transaction aborted are never read.
      props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    }
    return props;
  }

  private Map<String, String> producerConfig() {
    Map<String, String> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "2");
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(512 * 1024));
    props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(128L * 1024 * 1024));
    if (exactlyOnce()) {
      // A crashed instance's open transaction blocks read_committed readers until it times out.
      props.put(
          ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
          Long.toString(DEFAULT_TRANSACTION_TIMEOUT_MILLIS));
    }
    props.putAll(config.clientOverrides());
    if (exactlyOnce()) {
      props.put(ProducerConfig.ACKS_CONFIG, "all");
      props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
      // Unique per instance: zombies are fenced by the group generation the offsets carry.
      props.put(
          ProducerConfig.TRANSACTIONAL_ID_CONFIG,
          "streaminfer-" + config.groupId() + "-" + java.util.UUID.randomUUID());
    }
    return props;
  }
}
