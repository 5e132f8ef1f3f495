package streaminfer.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One section of the configuration file, read with typed getters that validate and name the key in
 * every error. Each getter records the key as known, so {@link #rejectUnknownKeys} can refuse a
 * misspelt key instead of silently ignoring it.
 */
public final class ConfigNode {
  private final String path;
  private final ObjectNode node;
  private final Set<String> read = new HashSet<>();
  private final Set<String> known = new TreeSet<>();

  public ConfigNode(String path, JsonNode node) {
    this.path = path;
    if (node == null || node.isNull() || node.isMissingNode()) {
      this.node = JsonNodeFactory.instance.objectNode();
    } else if (node instanceof ObjectNode object) {
      this.node = object;
    } else {
      throw new ConfigException(path, "must be a mapping of keys to values, was " + node);
    }
  }

  /** A section with no keys: every getter returns its default. */
  public static ConfigNode empty(String path) {
    return new ConfigNode(path, null);
  }

  public String path() {
    return path;
  }

  /** The section as parsed, for merging; reading it marks nothing as known. */
  ObjectNode rawNode() {
    return node;
  }

  public boolean has(String key) {
    JsonNode value = field(key);
    return value != null && !value.isNull();
  }

  public String key(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  public Optional<String> text(String key) {
    JsonNode value = value(key);
    if (value == null) {
      return Optional.empty();
    }
    if (!value.isValueNode()) {
      throw new ConfigException(key(key), "must be a single value, was " + value);
    }
    return Optional.of(value.asText());
  }

  public String text(String key, String fallback) {
    return text(key).orElse(fallback);
  }

  public String requiredText(String key) {
    String value =
        text(key).orElseThrow(() -> new ConfigException(key(key), "is required but missing"));
    if (value.isBlank()) {
      throw new ConfigException(key(key), "must not be empty");
    }
    return value;
  }

  /** An integer within {@code [min, max]}. */
  public int integer(String key, int fallback, int min, int max) {
    return Math.toIntExact(longValue(key, fallback, min, max));
  }

  public long longValue(String key, long fallback, long min, long max) {
    JsonNode value = value(key);
    if (value == null) {
      return fallback;
    }
    long number;
    if (value.isIntegralNumber() && value.canConvertToLong()) {
      number = value.asLong();
    } else {
      try {
        number = Long.parseLong(value.asText().trim());
      } catch (NumberFormatException e) {
        throw new ConfigException(key(key), "must be a whole number, was '" + value.asText() + "'");
      }
    }
    if (number < min || number > max) {
      throw new ConfigException(
          key(key), "must be between " + min + " and " + max + ", was " + number);
    }
    return number;
  }

  /** A list of whole numbers, each within {@code [min, max]}; a single number is a list of one. */
  public List<Integer> integers(String key, List<Integer> fallback, int min, int max) {
    JsonNode value = value(key);
    if (value == null) {
      return fallback;
    }
    List<Integer> numbers = new ArrayList<>();
    for (JsonNode item : value.isArray() ? value : List.of(value)) {
      int number;
      try {
        number = Integer.parseInt(item.asText().trim());
      } catch (NumberFormatException e) {
        throw new ConfigException(key(key), "must be whole numbers, was " + value);
      }
      if (number < min || number > max) {
        throw new ConfigException(
            key(key), "must be between " + min + " and " + max + ", was " + number);
      }
      numbers.add(number);
    }
    return numbers;
  }

  public boolean bool(String key, boolean fallback) {
    JsonNode value = value(key);
    if (value == null) {
      return fallback;
    }
    String text = value.asText().trim().toLowerCase(Locale.ROOT);
    return switch (text) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw new ConfigException(key(key), "must be true or false, was '" + text + "'");
    };
  }

  /** Milliseconds given as a whole number, named {@code ...Millis} by convention. */
  public Duration millis(String key, Duration fallback, Duration min) {
    long value = longValue(key, fallback.toMillis(), min.toMillis(), Long.MAX_VALUE);
    return Duration.ofMillis(value);
  }

  /** One of {@code allowed} (compared case-insensitively, {@code -} and {@code _} alike). */
  public String choice(String key, String fallback, Collection<String> allowed) {
    Optional<String> value = text(key);
    if (value.isEmpty()) {
      return fallback;
    }
    for (String candidate : allowed) {
      if (normalize(candidate).equals(normalize(value.get()))) {
        return candidate;
      }
    }
    throw new ConfigException(
        key(key), "must be one of " + allowed + ", was '" + value.get() + "'");
  }

  public ConfigNode child(String key) {
    read.add(normalize(key));
    return new ConfigNode(key(key), field(key));
  }

  /** A mapping of plain values, e.g. Kafka client properties; keys are kept as written. */
  public Map<String, String> stringMap(String key) {
    ConfigNode child = child(key);
    Map<String, String> values = new LinkedHashMap<>();
    for (String name : child.keys()) {
      values.put(name, child.text(name).orElse(""));
    }
    return values;
  }

  /** A list of sections, each named {@code key[<its name or index>]} in errors. */
  public List<ConfigNode> sections(String key) {
    JsonNode value = value(key);
    List<ConfigNode> sections = new ArrayList<>();
    if (value == null) {
      return sections;
    }
    if (!value.isArray()) {
      throw new ConfigException(key(key), "must be a list, was " + value);
    }
    for (int i = 0; i < value.size(); i++) {
      JsonNode item = value.get(i);
      String label = item.hasNonNull("name") ? item.get("name").asText() : Integer.toString(i);
      sections.add(new ConfigNode(key(key) + "[" + label + "]", item));
    }
    return sections;
  }

  public List<String> keys() {
    List<String> keys = new ArrayList<>();
    Iterator<String> names = node.fieldNames();
    names.forEachRemaining(keys::add);
    keys.forEach(name -> read.add(normalize(name)));
    return keys;
  }

  /** Fails on any key no getter has asked for: a typo must not silently fall back to a default. */
  public void rejectUnknownKeys() {
    Set<String> unknown = new TreeSet<>();
    node.fieldNames()
        .forEachRemaining(
            name -> {
              if (!read.contains(normalize(name))) {
                unknown.add(name);
              }
            });
    if (!unknown.isEmpty()) {
      throw new ConfigException(
          key(unknown.iterator().next()), "is not a known key here; known keys: " + known);
    }
  }

  private JsonNode value(String key) {
    JsonNode value = field(key);
    return value == null || value.isNull() ? null : value;
  }

  /**
   * Keys match case-insensitively and regardless of {@code -}, {@code _} and {@code .}, so an
   * environment override ({@code ..._MAX_SIZE}) reaches the key the file spells {@code maxSize}.
   */
  private JsonNode field(String key) {
    read.add(normalize(key));
    known.add(key);
    JsonNode exact = node.get(key);
    if (exact != null) {
      return exact;
    }
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (normalize(field.getKey()).equals(normalize(key))) {
        return field.getValue();
      }
    }
    return null;
  }

  /** The form keys are compared in. */
  public static String normalize(String text) {
    return text.trim().toLowerCase(Locale.ROOT).replaceAll("[-_.]", "");
  }
}
