package streaminfer.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.TreeMap;

/**
 * How far a replay got: per recorded partition, the next recorded offset to send. It is committed
 * inside the replay's Kafka transaction (as the metadata of a consumer-group offset of the replay's
 * own group), so it and the records it covers become visible together or not at all: a replay
 * killed at any point resumes without losing or repeating a record.
 *
 * @param sent records sent so far by this replay, over all its runs
 * @param done whether the replay reached the end of its file
 */
record ReplayCheckpoint(Map<Integer, Long> next, long sent, boolean done) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static final ReplayCheckpoint START = new ReplayCheckpoint(Map.of(), 0, false);

  ReplayCheckpoint {
    next = Map.copyOf(next);
  }

  String toJson() {
    try {
      return JSON.writeValueAsString(
          Map.of("next", new TreeMap<>(next), "sent", sent, "done", done));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static ReplayCheckpoint fromJson(String json) {
    try {
      var tree = JSON.readTree(json);
      Map<Integer, Long> next = new TreeMap<>();
      tree.get("next")
          .fields()
          .forEachRemaining(e -> next.put(Integer.valueOf(e.getKey()), e.getValue().asLong()));
      return new ReplayCheckpoint(next, tree.get("sent").asLong(), tree.get("done").asBoolean());
    } catch (JsonProcessingException | RuntimeException e) {
      throw new IllegalStateException("unreadable replay checkpoint: " + json, e);
    }
  }
}
