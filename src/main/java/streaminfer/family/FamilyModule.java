package streaminfer.family;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import streaminfer.compare.ResultComparator;
import streaminfer.config.ConfigNode;
import streaminfer.stream.RecordProcessor;

/**
 * A model family as a plug-in, found through {@link java.util.ServiceLoader} (one line in {@code
 * META-INF/services/streaminfer.family.FamilyModule}): what it reads and writes, the models it
 * runs, its own settings, and how to build its record processor. Nothing outside the family's
 * package names it: the engine, CLI, demo and benchmarks iterate the modules.
 *
 * @param <S> the family's typed settings (the {@code settings} section of a pipeline)
 */
public interface FamilyModule<S> {
  /** The {@code family} value of a pipeline and of the family's model.json files. */
  String name();

  /** One line for {@code --help} and {@code config print}. */
  String description();

  TopicSpec input();

  /** The first output is the one every input is answered on. */
  List<TopicSpec> outputs();

  /** The first role is the main model, whose name and version label the outputs. */
  List<ModelRole> models();

  /**
   * Reads and validates the family's settings; an absent section is an empty node, so every setting
   * needs a default. Errors name the key ({@link streaminfer.config.ConfigException}).
   */
  S settings(ConfigNode node);

  /** Called once the pipeline's models are loaded and its topics exist. */
  RecordProcessor processor(FamilyContext context, S settings);

  /**
   * Sample input records, made from the shipped models' own data: fed by {@code serve --demo}, and
   * run end to end through a stateless pipeline before it serves (its warm-up).
   */
  default Optional<DemoSource> demo(Path modelsDir) {
    return Optional.empty();
  }

  /**
   * Picocli command objects added under {@code streaminfer produce}, each by its {@code @Command}
   * name; new objects on every call, since picocli binds a command line's options into them. They
   * live in the family's {@code tools} subpackage: clients of the engine, free to use Kafka
   * clients.
   */
  default List<Object> produceCommands() {
    return List.of();
  }

  /** Picocli command objects added under {@code streaminfer bench}; as {@link #produceCommands}. */
  default List<Object> benchCommands() {
    return List.of();
  }

  /**
   * How {@code streaminfer compare} judges this family's results, one comparator per output record
   * the family writes; none: its topics cannot be compared. They live in the family's {@code tools}
   * subpackage.
   */
  default List<ResultComparator<?>> resultComparators() {
    return List.of();
  }
}
