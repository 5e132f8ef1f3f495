package streaminfer.family;

import org.apache.avro.specific.SpecificRecord;

/**
 * A topic a family reads or writes: its role in the family, the default name (a pipeline may name
 * another) and the Avro record its values hold.
 */
public record TopicSpec(String role, String defaultName, Class<? extends SpecificRecord> record) {
  public TopicSpec {
    if (role == null || role.isBlank() || defaultName == null || defaultName.isBlank()) {
      throw new IllegalArgumentException("a topic needs a role and a default name");
    }
  }
}
