package streaminfer.testcontainers;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Names the environment variables that override keys of the engine's configuration file: {@code
 * STREAMINFER__<LEVEL>__<LEVEL>...}, as the README's configuration section describes. The engine
 * matches each level case-insensitively and regardless of {@code _}, {@code -} and {@code .}, so
 * {@code batch.maxSize} may be written {@code BATCH__MAX_SIZE}.
 */
public final class ConfigOverrides {
  static final String PREFIX = "STREAMINFER__";
  private static final String LEVEL_SEPARATOR = "__";

  private ConfigOverrides() {}

  /**
   * @param path levels separated by dots, e.g. {@code ops.port} or {@code models.pollSeconds}
   */
  public static String variable(String path) {
    requireText(path, "path");
    return PREFIX
        + Arrays.stream(path.split("\\.", -1))
            .map(ConfigOverrides::level)
            .collect(Collectors.joining(LEVEL_SEPARATOR));
  }

  /**
   * A Kafka client property: its dots are part of one key ({@code bootstrap.servers}), not levels.
   */
  public static String kafkaProperty(String property) {
    requireText(property, "property");
    return PREFIX + "KAFKA" + LEVEL_SEPARATOR + level(property.replace('.', '_'));
  }

  /**
   * A key of one configured pipeline, e.g. ({@code ssd}, {@code batch.maxSize}). The pipeline must
   * be in the configuration file: an override names an entry, it does not add one.
   */
  public static String pipelineKey(String pipeline, String path) {
    requireText(pipeline, "pipeline");
    return PREFIX
        + "PIPELINES"
        + LEVEL_SEPARATOR
        + level(pipeline)
        + LEVEL_SEPARATOR
        + variable(path).substring(PREFIX.length());
  }

  /** camelCase and kebab-case to UPPER_SNAKE: the form a shell or a Kubernetes manifest expects. */
  private static String level(String name) {
    if (name.isEmpty()) {
      throw new IllegalArgumentException("an empty level (two dots in a row?)");
    }
    return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('-', '_').toUpperCase(Locale.ROOT);
  }

  private static void requireText(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
  }
}
