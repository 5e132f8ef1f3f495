package streaminfer.stream;

import java.util.List;

/**
 * One record an input yields: its topic (one the pipeline declares), its key and its value.
 *
 * @param key null: the input's key, so per-key order holds end to end
 */
public record Output(String topic, String key, byte[] value) {
  public Output {
    if (topic == null || topic.isBlank()) {
      throw new IllegalArgumentException("an output needs a topic");
    }
  }

  /** The common answer: one value, keyed like its input, as a one-element list. */
  public static List<Output> one(String topic, byte[] value) {
    return List.of(new Output(topic, null, value));
  }
}
