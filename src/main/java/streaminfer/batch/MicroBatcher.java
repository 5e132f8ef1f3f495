package streaminfer.batch;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.util.concurrent.Queues;
import streaminfer.runtime.InferenceException;

/**
 * Groups requests into batches of at most {@code maxBatchSize}, waiting at most {@code
 * maxBatchDelayMillis} after the first request of a batch, and runs them on the worker scheduler.
 *
 * <p>Bounded: at most {@code queueCapacity} requests are queued or running; {@link #submit} fails
 * with {@link QueueFullException} beyond that instead of buffering without limit. When a batch
 * fails as a whole, its requests are retried one by one, so only the requests that fail alone are
 * failed. When it fails with an {@link Error}, every request fails with an {@link
 * InferenceException} carrying it, and the batcher goes on serving later batches: every submitted
 * future completes.
 */
public final class MicroBatcher<T, R> implements AutoCloseable {
  private record Pending<T, R>(T request, Instant deadline, CompletableFuture<R> result) {}

  private final BatchConfig config;
  private final BatchFunction<T, R> function;
  private final BatchListener listener;
  private final Sinks.Many<Pending<T, R>> sink;
  private final AtomicInteger outstanding = new AtomicInteger();
  private final Disposable subscription;

  /**
   * @param timer drives {@code maxBatchDelayMillis} (a virtual-time scheduler in tests)
   * @param workers runs the batches; never a Vert.x event loop
   */
  public MicroBatcher(
      BatchConfig config,
      BatchFunction<T, R> function,
      BatchListener listener,
      Scheduler timer,
      Scheduler workers) {
    this.config = config;
    this.function = function;
    this.listener = listener;
    this.sink =
        Sinks.many()
            .unicast()
            .onBackpressureBuffer(Queues.<Pending<T, R>>get(config.queueCapacity()).get());
    this.subscription =
        sink.asFlux()
            .bufferTimeout(
                config.maxBatchSize(),
                Duration.ofMillis(Math.max(1, config.maxBatchDelayMillis())),
                timer,
                true)
            .flatMap(
                batch -> Mono.fromRunnable(() -> run(batch)).subscribeOn(workers),
                config.concurrency())
            .subscribe();
  }

  /** Queues one request; the future completes on the worker thread that ran its batch. */
  public CompletableFuture<R> submit(T request) {
    return submit(request, Instant.MAX);
  }

  /**
   * As {@link #submit(Object)}, but a request still queued when {@code deadline} (wall clock) has
   * passed is not run: it fails with {@link ExpiredRequestException} when its batch forms.
   */
  public CompletableFuture<R> submit(T request, Instant deadline) {
    if (outstanding.incrementAndGet() > config.queueCapacity()) {
      outstanding.decrementAndGet();
      return CompletableFuture.failedFuture(new QueueFullException(config.queueCapacity()));
    }
    CompletableFuture<R> result = new CompletableFuture<>();
    // Sinks.Many is not thread-safe for concurrent emitters; callers may come from any thread.
    Sinks.EmitResult emitted;
    synchronized (sink) {
      emitted = sink.tryEmitNext(new Pending<>(request, deadline, result));
    }
    if (emitted.isFailure()) {
      outstanding.decrementAndGet();
      result.completeExceptionally(
          emitted == Sinks.EmitResult.FAIL_OVERFLOW
              ? new QueueFullException(config.queueCapacity())
              : new IllegalStateException("the batcher is closed (" + emitted + ")"));
    }
    return result;
  }

  /** Requests queued or running now. */
  public int outstanding() {
    return outstanding.get();
  }

  private void run(List<Pending<T, R>> formed) {
    long start = System.nanoTime();
    List<Pending<T, R>> batch = new ArrayList<>(formed.size());
    Instant now = Instant.now();
    for (Pending<T, R> pending : formed) {
      if (now.isAfter(pending.deadline())) {
        complete(pending, null, new ExpiredRequestException(pending.deadline()));
      } else {
        batch.add(pending);
      }
    }
    if (batch.isEmpty()) {
      return;
    }
    try {
      runBatch(batch, start);
    } catch (Throwable unexpected) {
      // Last resort (a listener that threw, say): a row left pending would stall its partition.
      batch.forEach(pending -> complete(pending, null, asFailure(unexpected)));
    }
  }

  private void runBatch(List<Pending<T, R>> batch, long start) {
    List<T> requests = new ArrayList<>(batch.size());
    batch.forEach(pending -> requests.add(pending.request()));
    List<R> results;
    try {
      results = function.apply(requests);
      if (results.size() != batch.size()) {
        throw new IllegalStateException(
            "batch function returned " + results.size() + " results for " + batch.size());
      }
    } catch (RuntimeException batchFailure) {
      listener.batchCompleted(batch.size(), System.nanoTime() - start, true);
      if (batch.size() == 1) {
        complete(batch.get(0), null, batchFailure);
      } else {
        batch.forEach(this::runAlone);
      }
      return;
    } catch (Error error) {
      // An Error (OOM, stack overflow, a native failure) says nothing about one row, so the rows
      // are not retried alone; each fails, and the batcher lives on for the next batch.
      listener.batchCompleted(batch.size(), System.nanoTime() - start, true);
      batch.forEach(pending -> complete(pending, null, asFailure(error)));
      return;
    }
    listener.batchCompleted(batch.size(), System.nanoTime() - start, false);
    for (int i = 0; i < batch.size(); i++) {
      complete(batch.get(i), results.get(i), null);
    }
  }

  private void runAlone(Pending<T, R> pending) {
    try {
      complete(pending, function.apply(List.of(pending.request())).get(0), null);
    } catch (Throwable failure) {
      complete(pending, null, asFailure(failure));
    }
  }

  /** Errors are wrapped so that callers handling exceptions see them, with the reason kept. */
  private static Throwable asFailure(Throwable failure) {
    return failure instanceof Error
        ? new InferenceException("batch failed: " + failure, failure)
        : failure;
  }

  /** Completes a row once; a second completion (the last-resort path) changes nothing. */
  private void complete(Pending<T, R> pending, R result, Throwable failure) {
    // The slot is freed before the future completes: its continuations run right here, and one
    // that submits again (a caller that waits for room, as a many-row request does) must find it.
    outstanding.decrementAndGet();
    boolean completed =
        failure == null
            ? pending.result().complete(result)
            : pending.result().completeExceptionally(failure);
    if (!completed) {
      outstanding.incrementAndGet(); // completed elsewhere already: the slot was freed then
    }
  }

  /** Stops accepting requests; queued ones still run. */
  @Override
  public void close() {
    synchronized (sink) {
      sink.tryEmitComplete();
    }
  }

  /** Cancels the pipeline; for tests and hard stops only. */
  public void dispose() {
    subscription.dispose();
  }
}
