package streaminfer.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Map;
import streaminfer.family.FamilyModules;

/**
 * A configuration built in code (benchmarks, tests), validated exactly like a file: each call sets
 * the key the file would hold. The HTTP port defaults to 0 (any free one) and the console report to
 * off, as suits an engine embedded in another program.
 */
public final class ConfigBuilder {
  private final ObjectNode root = JsonNodeFactory.instance.objectNode();
  private final ArrayNode pipelines = root.putArray("pipelines");

  private ConfigBuilder(String bootstrap, Path modelsDir) {
    ConfigTree.setKafka(root, "bootstrap.servers", bootstrap);
    ConfigTree.set(root, "models.dir", modelsDir.toString());
    ConfigTree.set(root, "ops.port", "0");
    ConfigTree.set(root, "ops.reportEverySeconds", "0");
  }

  public static ConfigBuilder of(String bootstrap, Path modelsDir) {
    return new ConfigBuilder(bootstrap, modelsDir);
  }

  /** Adds a pipeline of the family of the same name. */
  public ConfigBuilder pipeline(String name) {
    pipelines.addObject().put("name", name);
    return this;
  }

  /** Adds a pipeline of {@code family}. */
  public ConfigBuilder pipeline(String name, String family) {
    pipelines.addObject().put("name", name).put("family", family);
    return this;
  }

  /** Sets a key at a dotted path from the top, e.g. {@code topics.prefix}. */
  public ConfigBuilder set(String path, Object value) {
    ConfigTree.set(root, path, String.valueOf(value));
    return this;
  }

  /** Sets a Kafka client property. */
  public ConfigBuilder kafka(String property, Object value) {
    ConfigTree.setKafka(root, property, String.valueOf(value));
    return this;
  }

  /** Sets a key of every pipeline that does not set it itself, e.g. {@code batch.maxSize}. */
  public ConfigBuilder defaults(String path, Object value) {
    return set("defaults." + path, value);
  }

  /** Sets a key of the pipeline added as {@code name}, e.g. {@code settings.maxGames}. */
  public ConfigBuilder inPipeline(String name, String path, Object value) {
    for (JsonNode pipeline : pipelines) {
      if (pipeline.path("name").asText().equals(name)) {
        ConfigTree.set((ObjectNode) pipeline, path, String.valueOf(value));
        return this;
      }
    }
    throw new IllegalArgumentException("no pipeline " + name + " was added");
  }

  public EngineSettings build() {
    return new ConfigLoader(FamilyModules.discover(), Map.of()).read(root.deepCopy());
  }
}
