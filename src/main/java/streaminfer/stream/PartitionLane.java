package streaminfer.stream;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Order and offsets of one input partition. Records may finish in any order (batches mix partitions
 * and run concurrently), but are released for producing in offset order, and the committable
 * position only moves past a record once it and every record before it has been acknowledged: every
 * one of its outputs acknowledged by the broker, or the record dead-lettered.
 *
 * <p>A stateful pipeline's lane starts holding its records until the partition's state is restored;
 * they are then handed to the processor in offset order.
 *
 * <p>Threading: confined to the pipeline's event loop; no locking.
 */
final class PartitionLane {

  /** One record on its way through the pipeline. */
  static final class Slot {
    final long offset;
    final long timestamp;
    final String key;
    // System.nanoTime() at receipt: the record's deadline counts from here.
    final long receivedNanos;
    // Kept until the record is acknowledged: a refused output dead-letters the original value.
    private final byte[] value;
    // The trace headers its outputs and dead letter carry, set at receipt (RecordTracer).
    List<io.vertx.kafka.client.producer.KafkaHeader> trace = List.of();
    // The record's span while tracing is on; ended when its outputs or dead letter are
    // acknowledged.
    io.opentelemetry.api.trace.Span span;
    private List<Output> outputs;
    private Throwable failure;
    private boolean done;
    private int unacknowledgedOutputs;
    private boolean acknowledged;
    private boolean timedOut;
    private boolean dispatched;

    private Slot(long offset, long timestamp, String key, byte[] value, long receivedNanos) {
      this.offset = offset;
      this.timestamp = timestamp;
      this.key = key;
      this.value = value;
      this.receivedNanos = receivedNanos;
    }

    boolean done() {
      return done;
    }

    /** The record went to the processor (records of a lane go in offset order). */
    void dispatched() {
      dispatched = true;
    }

    byte[] value() {
      return value;
    }

    List<Output> outputs() {
      return outputs;
    }

    Throwable failure() {
      return failure;
    }

    /**
     * Records the outcome: outputs (none when skipped), or the failure. False, and ignored, when
     * the record had timed out already: its late outcome must not be produced or acknowledged
     * again.
     */
    boolean finish(List<Output> outputs, Throwable failure) {
      if (done && timedOut) {
        return false;
      }
      if (done) {
        throw new IllegalStateException("record at offset " + offset + " finished twice");
      }
      this.outputs = failure == null && outputs == null ? List.of() : outputs;
      this.failure = failure;
      this.done = true;
      this.unacknowledgedOutputs = failure == null ? this.outputs.size() : 0;
      return true;
    }

    /**
     * The record missed its deadline: it finishes now with {@code failure}, and its processor's
     * outcome, whenever it comes, is ignored. False if it had finished already.
     */
    boolean timeOut(Throwable failure) {
      if (done) {
        return false;
      }
      finish(null, failure);
      timedOut = true;
      return true;
    }

    /** One output acknowledged; true once all are (and none was refused). */
    boolean outputAcknowledged() {
      unacknowledgedOutputs--;
      return unacknowledgedOutputs == 0 && failure == null;
    }

    /**
     * An output could not be produced: the record goes to the dead-letter topic instead. True for
     * the first refusal only, so a record is dead-lettered once however many outputs fail.
     */
    boolean refuse(Throwable failure) {
      if (this.failure != null) {
        return false;
      }
      this.failure = failure;
      return true;
    }
  }

  private final ArrayDeque<Slot> unsent = new ArrayDeque<>();
  private final ArrayDeque<Slot> unacknowledged = new ArrayDeque<>();
  private final ArrayDeque<Slot> held = new ArrayDeque<>();
  private boolean stateRestored;
  private boolean restoring;
  private long committablePosition = -1;
  private long committedPosition = -1;

  /**
   * @param stateRestored false for a stateful pipeline: records wait for the partition's state
   */
  PartitionLane(boolean stateRestored) {
    this.stateRestored = stateRestored;
  }

  Slot append(long offset, long timestamp, String key, byte[] value) {
    return append(offset, timestamp, key, value, 0);
  }

  Slot append(long offset, long timestamp, String key, byte[] value, long receivedNanos) {
    Slot last = unacknowledged.peekLast();
    if (last != null && offset <= last.offset) {
      throw new IllegalArgumentException(
          "offset " + offset + " arrived after " + last.offset + " in one partition");
    }
    Slot slot = new Slot(offset, timestamp, key, value, receivedNanos);
    unsent.add(slot);
    unacknowledged.add(slot);
    return slot;
  }

  /** Whether the processor may have records now; otherwise they are {@link #hold held}. */
  boolean stateRestored() {
    return stateRestored;
  }

  void hold(Slot slot) {
    held.add(slot);
  }

  /**
   * Marks a restore started; false if one is running already. Records keep being held until {@link
   * #restoreEnded}.
   */
  boolean startRestore() {
    if (restoring) {
      return false;
    }
    restoring = true;
    return true;
  }

  /**
   * The restore ended: returns the held records in offset order. If it succeeded they may go to the
   * processor, and so may every later record; if not, later records start another restore.
   */
  List<Slot> restoreEnded(boolean succeeded) {
    restoring = false;
    stateRestored = succeeded;
    List<Slot> released = new ArrayList<>(held);
    held.clear();
    return released;
  }

  /**
   * The unfinished records received {@code timeoutNanos} or longer before {@code nowNanos}, in
   * offset order. Records arrive in offset order, so the scan stops at the first one still in time.
   */
  List<Slot> overdue(long nowNanos, long timeoutNanos) {
    List<Slot> overdue = new ArrayList<>();
    for (Slot slot : unsent) {
      if (nowNanos - slot.receivedNanos < timeoutNanos) {
        break;
      }
      if (!slot.done) {
        overdue.add(slot);
      }
    }
    return overdue;
  }

  /** The finished records at the head, in offset order; each is returned once. */
  List<Slot> takeSendable() {
    List<Slot> sendable = new ArrayList<>();
    while (!unsent.isEmpty() && unsent.peek().done) {
      sendable.add(unsent.poll());
    }
    return sendable;
  }

  void acknowledge(Slot slot) {
    slot.acknowledged = true;
    while (!unacknowledged.isEmpty() && unacknowledged.peek().acknowledged) {
      committablePosition = unacknowledged.poll().offset + 1;
    }
  }

  /** The position below which every record is acknowledged; -1 before the first. */
  long committablePosition() {
    return committablePosition;
  }

  /** The next position to commit, if it moved since the last {@link #markCommitted}. */
  OptionalLong positionToCommit() {
    return positionToCommit(Long.MAX_VALUE);
  }

  /** As {@link #positionToCommit()}, but never at or beyond {@code limit}'s record. */
  OptionalLong positionToCommit(long limit) {
    long position = Math.min(committablePosition, limit);
    return position > committedPosition ? OptionalLong.of(position) : OptionalLong.empty();
  }

  /**
   * The offset of the first record not yet given to the processor, or {@link Long#MAX_VALUE} when
   * every record received has been.
   */
  long undispatchedFrom() {
    for (Slot slot : unsent) {
      if (!slot.dispatched) {
        return slot.offset;
      }
    }
    return Long.MAX_VALUE;
  }

  void markCommitted(long position) {
    committedPosition = Math.max(committedPosition, position);
  }

  int inFlight() {
    return unacknowledged.size();
  }
}
