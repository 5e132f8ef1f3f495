package streaminfer.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Edits of the parsed configuration before it is validated: how the command line's flags take
 * precedence over the file and the environment.
 */
public final class ConfigTree {
  private ConfigTree() {}

  /** Sets the value at a dotted path of sections, creating missing ones ({@code ops.port}). */
  public static void set(ObjectNode root, String path, String value) {
    String[] keys = path.split("\\.");
    ObjectNode node = root;
    for (int i = 0; i < keys.length - 1; i++) {
      JsonNode next = node.get(keys[i]);
      node = next instanceof ObjectNode object ? object : node.putObject(keys[i]);
    }
    node.put(keys[keys.length - 1], value);
  }

  /** Sets a Kafka client property, e.g. {@code bootstrap.servers}. */
  public static void setKafka(ObjectNode root, String property, String value) {
    JsonNode kafka = root.get("kafka");
    (kafka instanceof ObjectNode object ? object : root.putObject("kafka")).put(property, value);
  }

  /** Sets a key of every pipeline (overriding the pipeline's own and the defaults' value). */
  public static void setInEveryPipeline(ObjectNode root, String key, String value) {
    pipelines(root).forEach(pipeline -> pipeline.put(key, value));
  }

  /** Keeps only the named pipelines, in the file's order; an unknown name is an error. */
  public static void selectPipelines(ObjectNode root, Collection<String> names) {
    List<ObjectNode> kept = new ArrayList<>();
    List<String> known = new ArrayList<>();
    for (ObjectNode pipeline : pipelines(root)) {
      String name = pipeline.path("name").asText();
      known.add(name);
      if (names.contains(name)) {
        kept.add(pipeline);
      }
    }
    for (String name : names) {
      if (!known.contains(name)) {
        throw new ConfigException(
            "--pipelines", "no pipeline named '" + name + "' is configured; configured: " + known);
      }
    }
    root.putArray("pipelines").addAll(kept);
  }

  /** Merges {@code overlay} into {@code base}: sections key by key, everything else replaced. */
  static void merge(ObjectNode base, JsonNode overlay) {
    overlay
        .fields()
        .forEachRemaining(
            field -> {
              JsonNode existing = base.get(field.getKey());
              if (existing instanceof ObjectNode section
                  && field.getValue() instanceof ObjectNode) {
                merge(section, field.getValue());
              } else {
                base.set(field.getKey(), field.getValue().deepCopy());
              }
            });
  }

  private static List<ObjectNode> pipelines(ObjectNode root) {
    List<ObjectNode> pipelines = new ArrayList<>();
    if (root.get("pipelines") instanceof ArrayNode list) {
      list.forEach(
          item -> {
            if (item instanceof ObjectNode object) {
              pipelines.add(object);
            }
          });
    }
    return pipelines;
  }
}
