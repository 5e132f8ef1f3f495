package streaminfer.pipeline;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import streaminfer.batch.BatchConfig;
import streaminfer.batch.BatchListener;
import streaminfer.batch.MicroBatcher;
import streaminfer.runtime.ModelSession;
import streaminfer.runtime.Tensor;

/** A model session behind its micro-batcher, with the worker threads that run its batches. */
public final class BatchedModel implements AutoCloseable {
  private final ModelSession session;
  private final Scheduler workers;
  private final MicroBatcher<Map<String, Tensor>, Map<String, Tensor>> batcher;
  private final int queueCapacity;

  public BatchedModel(ModelSession session, BatchConfig config, BatchListener listener) {
    this.session = session;
    String name = session.metadata().name();
    // Inference blocks for milliseconds: it runs here, never on a Vert.x event loop.
    this.workers =
        Schedulers.newBoundedElastic(config.concurrency(), config.queueCapacity(), "infer-" + name);
    this.batcher =
        new MicroBatcher<>(config, session::runRows, listener, Schedulers.parallel(), workers);
    this.queueCapacity = config.queueCapacity();
  }

  /**
   * Rows queued or running at once; {@link #infer} fails beyond it. A processor that submits
   * several rows per record keeps its own rows within it.
   */
  public int queueCapacity() {
    return queueCapacity;
  }

  public ModelSession session() {
    return session;
  }

  public CompletableFuture<Map<String, Tensor>> infer(Map<String, Tensor> row) {
    return batcher.submit(row);
  }

  /** As {@link #infer(Map)}, not run if still queued at {@code deadline} (wall clock). */
  public CompletableFuture<Map<String, Tensor>> infer(Map<String, Tensor> row, Instant deadline) {
    return batcher.submit(row, deadline);
  }

  /** Runs directly, without batching: for benchmarks and parity checks. */
  public List<Map<String, Tensor>> runNow(List<Map<String, Tensor>> rows) {
    return session.runRows(rows);
  }

  @Override
  public void close() {
    batcher.close();
    workers.disposeGracefully().block(java.time.Duration.ofSeconds(30));
    session.close();
  }
}
