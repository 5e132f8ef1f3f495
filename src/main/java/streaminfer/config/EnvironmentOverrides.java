package streaminfer.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Applies environment variables over the configuration file, so secrets and per-deployment values
 * stay out of it. {@code STREAMINFER__A__B__C=value} sets the key {@code a.b.c}: a double
 * underscore separates levels, and each level matches an existing key case-insensitively,
 * regardless of {@code _}, {@code -} and {@code .}. Under {@code pipelines} the level after it
 * names a pipeline. A key the file lacks is created: under {@code kafka} as a client property
 * ({@code SASL_JAAS_CONFIG} becomes {@code sasl.jaas.config}), elsewhere in lower case.
 */
public final class EnvironmentOverrides {
  public static final String PREFIX = "STREAMINFER__";
  private static final String LEVEL = "__";

  private EnvironmentOverrides() {}

  /**
   * Applies every {@value #PREFIX} variable of {@code environment} to {@code root}, in name order.
   */
  public static void apply(ObjectNode root, Map<String, String> environment) {
    new TreeMap<>(environment)
        .forEach(
            (name, value) -> {
              if (name.startsWith(PREFIX)) {
                apply(root, name, value);
              }
            });
  }

  private static void apply(ObjectNode root, String variable, String value) {
    String[] levels = variable.substring(PREFIX.length()).split(LEVEL, -1);
    ObjectNode node = root;
    String path = "";
    for (int i = 0; i < levels.length; i++) {
      String level = levels[i];
      if (level.isEmpty()) {
        throw new ConfigException(variable, "has an empty level (three underscores in a row?)");
      }
      boolean last = i == levels.length - 1;
      String key = existingKey(node, level).orElse(newKey(path, level));
      path = path.isEmpty() ? key : path + "." + key;
      if (last) {
        node.put(key, value);
        return;
      }
      JsonNode next = node.get(key);
      if (next instanceof ArrayNode pipelines) {
        if (i + 1 == levels.length - 1) {
          throw new ConfigException(variable, "names a list; name one entry of it, then a key");
        }
        node = entry(pipelines, levels[++i], variable);
        path = path + "[" + levels[i] + "]";
      } else if (next instanceof ObjectNode object) {
        node = object;
      } else if (next == null || next.isNull()) {
        node = node.putObject(key);
      } else {
        throw new ConfigException(variable, path + " is a single value, not a section");
      }
    }
  }

  private static ObjectNode entry(ArrayNode list, String name, String variable) {
    for (JsonNode item : list) {
      if (item instanceof ObjectNode object
          && item.hasNonNull("name")
          && ConfigNode.normalize(item.get("name").asText()).equals(ConfigNode.normalize(name))) {
        return object;
      }
    }
    throw new ConfigException(variable, "names no entry '" + name + "' of the configured list");
  }

  private static java.util.Optional<String> existingKey(ObjectNode node, String level) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (ConfigNode.normalize(name).equals(ConfigNode.normalize(level))) {
        return java.util.Optional.of(name);
      }
    }
    return java.util.Optional.empty();
  }

  private static String newKey(String path, String level) {
    String lower = level.toLowerCase(Locale.ROOT);
    return path.equals("kafka") ? lower.replace('_', '.') : lower;
  }
}
