package streaminfer.batch;

/** Observes finished batches (for metrics); called on the worker thread that ran the batch. */
@FunctionalInterface
public interface BatchListener {
  void batchCompleted(int size, long nanos, boolean failed);

  BatchListener NONE = (size, nanos, failed) -> {};
}
