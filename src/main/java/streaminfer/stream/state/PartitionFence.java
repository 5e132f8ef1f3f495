package streaminfer.stream.state;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The input partitions this instance owns, each with the term of its current ownership. Every state
 * write and emitted record runs under the read lock after checking ownership, and a revocation
 * takes the write lock: so once {@link #revoke} returns, no write for that partition can start, and
 * none that checked ownership before is still between its check and its send.
 *
 * <p>Threading: any thread. Sends are non-blocking in the common case; a producer blocking on
 * metadata or a full buffer delays a revocation by as long.
 */
final class PartitionFence {
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<Integer, Long> terms = new HashMap<>();
  private long nextTerm;

  /** Starts a new term of ownership of {@code partition}; restores of earlier terms are stale. */
  long assign(int partition) {
    lock.writeLock().lock();
    try {
      long term = ++nextTerm;
      terms.put(partition, term);
      return term;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Ends the ownership; {@code release} (dropping the partition's memory) runs under the lock. */
  void revoke(int partition, Runnable release) {
    lock.writeLock().lock();
    try {
      terms.remove(partition);
      release.run();
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** The current term, or -1 when the partition is not owned. */
  long term(int partition) {
    lock.readLock().lock();
    try {
      return terms.getOrDefault(partition, -1L);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Runs {@code action} if {@code term} is still the partition's term; says whether it ran. */
  boolean inTerm(int partition, long term, Runnable action) {
    lock.readLock().lock();
    try {
      if (terms.getOrDefault(partition, -1L) != term) {
        return false;
      }
      action.run();
      return true;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Runs {@code write} if the partition is owned, else refuses it without running it. */
  <T> CompletableFuture<T> ifOwned(int partition, Supplier<CompletableFuture<T>> write) {
    lock.readLock().lock();
    try {
      if (!terms.containsKey(partition)) {
        return CompletableFuture.failedFuture(new PartitionRevokedException(partition));
      }
      return write.get();
    } finally {
      lock.readLock().unlock();
    }
  }
}
