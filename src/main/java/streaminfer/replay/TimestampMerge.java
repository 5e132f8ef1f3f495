package streaminfer.replay;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * A recording's records in timestamp order across partitions, so that paced replay sends each at
 * its time: the recorder wrote them as the consumer fetched them, a chunk of one partition after a
 * chunk of another. Order within a partition is kept: a record never goes before one recorded
 * earlier in its partition (its time is raised to theirs). The look-ahead is bounded, so a file
 * whose chunks span more than it sees comes out nearly, not exactly, in time order.
 */
final class TimestampMerge implements Iterator<TimestampMerge.Timed> {
  /** A record and the time it is sent at, relative to the others. */
  record Timed(RecordedRecord record, long timestamp) {}

  private record Entry(Timed timed, long sequence) {}

  private final Iterator<RecordedRecord> source;
  private final int maxRecords;
  private final long maxBytes;
  private final PriorityQueue<Entry> window =
      new PriorityQueue<>(
          (a, b) -> {
            int byTime = Long.compare(a.timed().timestamp(), b.timed().timestamp());
            return byTime != 0 ? byTime : Long.compare(a.sequence(), b.sequence());
          });
  private final Map<Integer, Long> latestPerPartition = new HashMap<>();
  private long sequence;
  private long bytes;

  TimestampMerge(Iterator<RecordedRecord> source, int maxRecords, long maxBytes) {
    this.source = source;
    this.maxRecords = maxRecords;
    this.maxBytes = maxBytes;
  }

  @Override
  public boolean hasNext() {
    fill();
    return !window.isEmpty();
  }

  @Override
  public Timed next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Entry entry = window.poll();
    bytes -= entry.timed().record().sizeInBytes();
    return entry.timed();
  }

  private void fill() {
    while ((window.size() < maxRecords && bytes < maxBytes) && source.hasNext()) {
      RecordedRecord record = source.next();
      long timestamp = latestPerPartition.merge(record.partition(), record.timestamp(), Math::max);
      window.add(new Entry(new Timed(record, timestamp), sequence++));
      bytes += record.sizeInBytes();
    }
  }
}
