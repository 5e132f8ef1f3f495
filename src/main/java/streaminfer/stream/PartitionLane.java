package streaminfer.stream;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Order and offsets of one input partition. Records may finish in any order (batches mix partitions
 * and run concurrently), but are released for producing in offset order, and the committable
 * position only moves past a record once it and every record before it has been acknowledged by the
 * broker (produced or dead-lettered).
 *
 * <p>Threading: confined to the pipeline's event loop; no locking.
 */
final class PartitionLane {

  /** One record on its way through the pipeline. */
  static final class Slot {
    final long offset;
    final long timestamp;
    final String key;
    private byte[] value;
    private byte[] output;
    private Throwable failure;
    private boolean done;
    private boolean acknowledged;

    private Slot(long offset, long timestamp, String key, byte[] value) {
      this.offset = offset;
      this.timestamp = timestamp;
      this.key = key;
      this.value = value;
    }

    byte[] value() {
      return value;
    }

    byte[] output() {
      return output;
    }

    Throwable failure() {
      return failure;
    }

    /** Records the outcome; a success no longer needs the input (kept only for dead letters). */
    void finish(byte[] output, Throwable failure) {
      if (done) {
        throw new IllegalStateException("record at offset " + offset + " finished twice");
      }
      this.output = output;
      this.failure = failure;
      this.done = true;
      if (failure == null) {
        this.value = null;
      }
    }

    /** The output could not be produced: it goes to the dead-letter topic instead. */
    void redirect(Throwable failure) {
      this.output = null;
      this.failure = failure;
    }
  }

  private final ArrayDeque<Slot> unsent = new ArrayDeque<>();
  private final ArrayDeque<Slot> unacknowledged = new ArrayDeque<>();
  private long committablePosition = -1;
  private long committedPosition = -1;

  Slot append(long offset, long timestamp, String key, byte[] value) {
    Slot last = unacknowledged.peekLast();
    if (last != null && offset <= last.offset) {
      throw new IllegalArgumentException(
          "offset " + offset + " arrived after " + last.offset + " in one partition");
    }
    Slot slot = new Slot(offset, timestamp, key, value);
    unsent.add(slot);
    unacknowledged.add(slot);
    return slot;
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

  /** The next position to commit, if it moved since the last {@link #markCommitted}. */
  OptionalLong positionToCommit() {
    return committablePosition > committedPosition
        ? OptionalLong.of(committablePosition)
        : OptionalLong.empty();
  }

  void markCommitted(long position) {
    committedPosition = Math.max(committedPosition, position);
  }

  int inFlight() {
    return unacknowledged.size();
  }
}
