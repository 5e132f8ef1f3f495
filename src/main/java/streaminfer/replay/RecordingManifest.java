package streaminfer.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a recording holds: the topic and, per partition, the offset range {@code [from, to)} that
 * the recorder resolved when it started; a resumed recorder finishes exactly these ranges.
 *
 * @param requestedFrom the {@code --from} the user gave (an offset, a time or a keyword)
 * @param requestedTo the {@code --to} the user gave
 */
public record RecordingManifest(
    String topic,
    Map<Integer, OffsetRange> partitions,
    String requestedFrom,
    String requestedTo,
    String createdAt) {

  /** Offsets {@code from} (inclusive) to {@code to} (exclusive). */
  public record OffsetRange(long from, long to) {
    public long length() {
      return Math.max(0, to - from);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  public RecordingManifest {
    partitions = Collections.unmodifiableMap(new TreeMap<>(partitions));
  }

  /** At most this many records: fewer where transaction markers or compaction left gaps. */
  public long maxRecords() {
    return partitions.values().stream().mapToLong(OffsetRange::length).sum();
  }

  String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static RecordingManifest fromJson(String json) {
    try {
      return JSON.readValue(json, RecordingManifest.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a streaminfer recording manifest: " + json, e);
    }
  }
}
