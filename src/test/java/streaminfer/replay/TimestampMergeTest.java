package streaminfer.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimestampMergeTest {
  @Test
  void interleavesChunksOfPartitionsInTimeOrder() {
    List<RecordedRecord> file =
        List.of(
            record(0, 0, 10),
            record(0, 1, 30),
            record(0, 2, 50), // a chunk of partition 0
            record(1, 0, 20),
            record(1, 1, 40),
            record(1, 2, 60)); // then one of partition 1
    assertEquals(List.of(10L, 20L, 30L, 40L, 50L, 60L), timestamps(merge(file, 100)));
  }

  @Test
  void neverSendsARecordBeforeOneRecordedEarlierInItsPartition() {
    // Producer clocks may go backwards within a partition; its order still wins.
    List<RecordedRecord> file =
        List.of(record(0, 0, 50), record(0, 1, 10), record(1, 0, 30), record(1, 1, 60));
    List<TimestampMerge.Timed> merged = merge(file, 100);
    List<String> order = new ArrayList<>();
    merged.forEach(t -> order.add(t.record().partition() + ":" + t.record().offset()));
    assertEquals(List.of("1:0", "0:0", "0:1", "1:1"), order);
  }

  @Test
  void looksAheadOnlyAsFarAsItsWindow() {
    List<RecordedRecord> file =
        List.of(record(0, 0, 10), record(0, 1, 30), record(1, 0, 20), record(1, 1, 40));
    // A window of one record cannot reorder anything.
    assertEquals(List.of(10L, 30L, 20L, 40L), timestamps(merge(file, 1)));
  }

  private static List<TimestampMerge.Timed> merge(List<RecordedRecord> file, int window) {
    TimestampMerge merge = new TimestampMerge(file.iterator(), window, Long.MAX_VALUE);
    List<TimestampMerge.Timed> out = new ArrayList<>();
    merge.forEachRemaining(out::add);
    return out;
  }

  private static List<Long> timestamps(List<TimestampMerge.Timed> timed) {
    return timed.stream().map(t -> t.record().timestamp()).toList();
  }

  private static RecordedRecord record(int partition, long offset, long timestamp) {
    return new RecordedRecord(
        "t", partition, offset, timestamp, "CreateTime", null, new byte[0], List.of());
  }
}
