package streaminfer.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class RecordFilterTest {
  @Test
  void keepsOffsetsFromInclusiveToExclusive() {
    RecordFilter filter = RecordFilter.of(Optional.empty(), "10", "20");
    assertEquals(
        LongStream.range(10, 20).boxed().toList(),
        LongStream.range(0, 30).filter(o -> filter.accepts(record(o, 0, "k"))).boxed().toList());
  }

  @Test
  void keepsRecordsByTheirRecordedTimeAndKey() {
    RecordFilter filter =
        RecordFilter.of(Optional.of("cam-2"), "1970-01-01T00:00:01Z", "1970-01-01T00:00:02Z");
    assertEquals(false, filter.accepts(record(0, 999, "cam-2")));
    assertEquals(true, filter.accepts(record(1, 1_000, "cam-2")));
    assertEquals(true, filter.accepts(record(2, 1_999, "cam-2")));
    assertEquals(false, filter.accepts(record(3, 2_000, "cam-2")));
    assertEquals(false, filter.accepts(record(4, 1_500, "cam-1")));
  }

  @Test
  void earliestAndNowBoundNothing() {
    RecordFilter filter = RecordFilter.of(Optional.empty(), "earliest", "now");
    assertEquals(true, filter.accepts(record(0, Long.MIN_VALUE / 2, null)));
    assertEquals(true, filter.accepts(record(Long.MAX_VALUE - 1, Long.MAX_VALUE / 2, null)));
  }

  private static RecordedRecord record(long offset, long timestamp, String key) {
    return new RecordedRecord(
        "t",
        0,
        offset,
        timestamp,
        "CreateTime",
        key == null ? null : key.getBytes(StandardCharsets.UTF_8),
        new byte[0],
        List.of());
  }
}
