package streaminfer.family.began;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An asynchronous semaphore over the batcher's row capacity: a generation request submits its
 * {@code count} rows only once that many are free, so requests of many images never overflow the
 * queue (which would dead-letter them) and never block a thread. Waiters are served in arrival
 * order; how many can wait is bounded by the records the stream layer lets into flight.
 */
final class RowPermits {
  private final int capacity;
  private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
  private int available;

  private record Waiter(int rows, CompletableFuture<Void> ready) {}

  RowPermits(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("row capacity must be positive, was " + capacity);
    }
    this.capacity = capacity;
    this.available = capacity;
  }

  int capacity() {
    return capacity;
  }

  /** Completes (possibly at once, possibly on a releasing thread) when {@code rows} are held. */
  CompletableFuture<Void> acquire(int rows) {
    if (rows < 1 || rows > capacity) {
      throw new IllegalArgumentException("rows must be in 1.." + capacity + ", was " + rows);
    }
    synchronized (this) {
      if (waiting.isEmpty() && available >= rows) {
        available -= rows;
        return CompletableFuture.completedFuture(null);
      }
      CompletableFuture<Void> ready = new CompletableFuture<>();
      waiting.add(new Waiter(rows, ready));
      return ready;
    }
  }

  void release(int rows) {
    List<CompletableFuture<Void>> granted = new ArrayList<>();
    synchronized (this) {
      available += rows;
      while (!waiting.isEmpty() && waiting.peek().rows() <= available) {
        Waiter next = waiting.poll();
        available -= next.rows();
        granted.add(next.ready());
      }
    }
    // Outside the lock: a waiter's continuation submits rows and may release again.
    granted.forEach(ready -> ready.complete(null));
  }
}
