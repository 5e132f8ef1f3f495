package streaminfer.batch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.util.concurrent.Queues;

/**
 * Groups requests into batches of at most {@code maxBatchSize}, waiting at most {@code
 * maxBatchDelayMillis} after the first request of a batch, and runs them on the worker scheduler.
 *
 * <p>Bounded: at most {@code queueCapacity} requests are queued or running; {@link #submit} fails
 * with {@link QueueFullException} beyond that instead of buffering without limit. When a batch
 * fails as a whole, its requests are retried one by one, so only the requests that fail alone are
 * failed.
 */
public final class MicroBatcher<T, R> implements AutoCloseable {
  private record Pending<T, R>(T request, CompletableFuture<R> result) {}

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
    if (outstanding.incrementAndGet() > config.queueCapacity()) {
      outstanding.decrementAndGet();
      return CompletableFuture.failedFuture(new QueueFullException(config.queueCapacity()));
    }
    CompletableFuture<R> result = new CompletableFuture<>();
    // Sinks.Many is not thread-safe for concurrent emitters; callers may come from any thread.
    Sinks.EmitResult emitted;
    synchronized (sink) {
      emitted = sink.tryEmitNext(new Pending<>(request, result));
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

  private void run(List<Pending<T, R>> batch) {
    long start = System.nanoTime();
    List<T> requests = new ArrayList<>(batch.size());
    batch.forEach(pending -> requests.add(pending.request()));
    try {
      List<R> results = function.apply(requests);
      if (results.size() != batch.size()) {
        throw new IllegalStateException(
            "batch function returned " + results.size() + " results for " + batch.size());
      }
      listener.batchCompleted(batch.size(), System.nanoTime() - start, false);
      for (int i = 0; i < batch.size(); i++) {
        complete(batch.get(i), results.get(i), null);
      }
    } catch (RuntimeException batchFailure) {
      listener.batchCompleted(batch.size(), System.nanoTime() - start, true);
      if (batch.size() == 1) {
        complete(batch.get(0), null, batchFailure);
      } else {
        batch.forEach(this::runAlone);
      }
    }
  }

  private void runAlone(Pending<T, R> pending) {
    try {
      complete(pending, function.apply(List.of(pending.request())).get(0), null);
    } catch (RuntimeException failure) {
      complete(pending, null, failure);
    }
  }

  private void complete(Pending<T, R> pending, R result, Throwable failure) {
    outstanding.decrementAndGet();
    if (failure == null) {
      pending.result().complete(result);
    } else {
      pending.result().completeExceptionally(failure);
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
