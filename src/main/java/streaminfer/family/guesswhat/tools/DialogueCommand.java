package streaminfer.family.guesswhat.tools;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import streaminfer.broker.Topics;
import streaminfer.client.KafkaOptions;
import streaminfer.v1.SceneObject;

/** {@code produce dialogue}: a person plays GuessWhat?! from the terminal against the engine. */
@Command(
    name = "dialogue",
    mixinStandardHelpOptions = true,
    description = {
      "Play GuessWhat?! against the engine: DialogueTurn records out, DialogueReply records in.",
      "--play questioner: you ask about a hidden object, the engine's oracle answers.",
      "--play oracle: the engine asks about your object and then guesses it."
    })
public final class DialogueCommand implements Callable<Integer> {
  enum Play {
    QUESTIONER,
    ORACLE
  }

  @Spec CommandSpec spec;

  @Mixin KafkaOptions kafka;

  @Option(
      names = "--play",
      required = true,
      converter = PlayConverter.class,
      description = "questioner or oracle: the part you play.")
  Play play;

  @Option(names = "--game-id", description = "Game id and record key (default: a random one).")
  String gameId;

  @Option(
      names = "--objects",
      defaultValue = "8",
      description = "Objects in the scene, 3..20 (default: ${DEFAULT-VALUE}).")
  int objects;

  @Option(names = "--seed", description = "Scene seed, to play a scene again (default: random).")
  Long seed;

  @Option(names = "--target", description = "Your object's id (--play oracle; default: random).")
  Integer target;

  @Option(
      names = "--turns-topic",
      defaultValue = "dialogue-turns",
      description = "Where turns go (default: ${DEFAULT-VALUE}).")
  String turnsTopic;

  @Option(
      names = "--replies-topic",
      defaultValue = "dialogue-replies",
      description = "Where the engine replies (default: ${DEFAULT-VALUE}).")
  String repliesTopic;

  @Option(
      names = "--reply-timeout-seconds",
      defaultValue = "30",
      description = "How long to wait for each reply (default: ${DEFAULT-VALUE}).")
  int replyTimeoutSeconds;

  @Option(names = "--partitions", defaultValue = "3", description = "For topics it creates.")
  int partitions;

  @Override
  public Integer call() throws Exception {
    if (objects < RandomScenes.MIN_OBJECTS || objects > RandomScenes.MAX_OBJECTS) {
      throw new ParameterException(spec.commandLine(), "--objects must be 3..20, was " + objects);
    }
    if (target != null && play != Play.ORACLE) {
      throw new ParameterException(spec.commandLine(), "--target is for --play oracle only");
    }
    Random random = new Random();
    long sceneSeed = seed != null ? seed : random.nextLong();
    List<SceneObject> scene = new RandomScenes(sceneSeed).next(objects);
    if (target != null && SceneTable.find(scene, target).isEmpty()) {
      throw new ParameterException(
          spec.commandLine(), "--target " + target + ": the scene's ids are 1.." + objects);
    }
    int targetId = target != null ? target : scene.get(random.nextInt(objects)).getObjectId();
    String game = gameId != null ? gameId : "game-" + UUID.randomUUID().toString().substring(0, 8);
    System.out.printf("game %s, scene seed %d%n", game, sceneSeed);

    Topics.ensure(
        kafka.clientProperties(), List.of(turnsTopic, repliesTopic), partitions, Map.of());
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try (DialogueSession session =
        new DialogueSession(
            kafka.clientProperties(),
            turnsTopic,
            repliesTopic,
            Duration.ofSeconds(replyTimeoutSeconds))) {
      GameTurns turns = new GameTurns(session, game, scene);
      Outcome outcome =
          play == Play.QUESTIONER
              ? new QuestionerConsole(turns, targetId, in, System.out).play()
              : new OracleConsole(turns, targetId, in, System.out).play();
      return outcome == Outcome.FINISHED ? 0 : 1;
    } catch (TimeoutException e) {
      System.err.println(e.getMessage());
      return 1;
    }
  }

  /** Accepts the part in any case, as people type it. */
  static final class PlayConverter implements ITypeConverter<Play> {
    @Override
    public Play convert(String value) {
      try {
        return Play.valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("expected questioner or oracle, not '" + value + "'");
      }
    }
  }
}
