package streaminfer.replay;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import streaminfer.stream.StreamPosition;

/**
 * Which recorded records a replay sends: those with the key, if one is given, from {@code from}
 * (inclusive) to {@code to} (exclusive), each an offset (compared within each partition), a time
 * (compared with the recorded timestamp), or {@code earliest} / {@code now} for no bound.
 */
record RecordFilter(Optional<byte[]> key, StreamPosition from, StreamPosition to) {
  static RecordFilter of(Optional<String> key, String from, String to) {
    return new RecordFilter(
        key.map(k -> k.getBytes(StandardCharsets.UTF_8)),
        StreamPosition.parse(from),
        StreamPosition.parse(to));
  }

  boolean accepts(RecordedRecord record) {
    if (key.isPresent() && !Arrays.equals(key.get(), record.key())) {
      return false;
    }
    return !before(record, from) && before(record, to);
  }

  /** Whether the record comes before the position; nothing comes before earliest or after now. */
  private static boolean before(RecordedRecord record, StreamPosition position) {
    if (position instanceof StreamPosition.Offset at) {
      return record.offset() < at.offset();
    }
    if (position instanceof StreamPosition.Time time) {
      return record.timestamp() < time.time().toEpochMilli();
    }
    return position instanceof StreamPosition.Now;
  }
}
