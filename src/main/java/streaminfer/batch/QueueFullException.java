package streaminfer.batch;

/** Overload made explicit: the batcher's bounded queue has no room for another request. */
public final class QueueFullException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public QueueFullException(int capacity) {
    super("the batch queue is full (" + capacity + " requests); the caller must slow down");
  }
}
