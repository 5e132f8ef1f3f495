package streaminfer.family.guesswhat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import streaminfer.codec.AvroCodec;
import streaminfer.codec.WriterSchemas;
import streaminfer.compare.ResultComparator;
import streaminfer.config.ConfigNode;
import streaminfer.family.DemoSource;
import streaminfer.family.FamilyContext;
import streaminfer.family.FamilyModule;
import streaminfer.family.ModelRole;
import streaminfer.family.TopicSpec;
import streaminfer.family.guesswhat.tools.DialogueBenchCommand;
import streaminfer.family.guesswhat.tools.DialogueCommand;
import streaminfer.family.guesswhat.tools.RepliesComparator;
import streaminfer.pipeline.BatchedModel;
import streaminfer.runtime.ModelRepository;
import streaminfer.stream.RecordProcessor;
import streaminfer.v1.DialogueReply;
import streaminfer.v1.DialogueTurn;

/**
 * GuessWhat?!: {@code dialogue-turns} (DialogueTurn) to {@code dialogue-replies} (DialogueReply),
 * one reply per turn, with the question generator (and its scene encoder), the oracle and the
 * guesser; game states on a compacted topic.
 */
public final class GuessWhatModule implements FamilyModule<GuessWhatSettings> {
  public static final String NAME = "guesswhat";
  static final String QUESTIONER = "qgen";
  static final String SCENE_ENCODER = "sceneEncoder";
  static final String ORACLE = "oracle";
  static final String GUESSER = "guesser";
  private static final int DEMO_GAMES_PER_SECOND = 20;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "GuessWhat?!: dialogue turns to answers, questions and guesses, per game";
  }

  @Override
  public TopicSpec input() {
    return new TopicSpec("turns", "dialogue-turns", DialogueTurn.class);
  }

  @Override
  public List<TopicSpec> outputs() {
    return List.of(new TopicSpec("replies", "dialogue-replies", DialogueReply.class));
  }

  @Override
  public List<ModelRole> models() {
    return List.of(
        ModelRole.of(QUESTIONER, "guesswhat-qgen"),
        ModelRole.section(SCENE_ENCODER, QUESTIONER, SCENE_ENCODER),
        ModelRole.of(ORACLE, "guesswhat-oracle"),
        ModelRole.of(GUESSER, "guesswhat-guesser"));
  }

  @Override
  public GuessWhatSettings settings(ConfigNode node) {
    return new GuessWhatSettings(
        node.text("stateTopic", "dialogue-state"),
        node.longValue("gameIdleSeconds", 600, 1, Long.MAX_VALUE / 1000),
        node.integer("maxGames", 100_000, 1, Integer.MAX_VALUE),
        // A played game takes a few turns per question of its budget; this leaves ample room.
        node.integer("maxTurnsPerGame", 128, 2, 100_000));
  }

  @Override
  public RecordProcessor processor(FamilyContext context, GuessWhatSettings settings) {
    BatchedModel questioner = context.model(QUESTIONER);
    Players players =
        new Players(
            GameSpec.fromMetadata(questioner.session().metadata()),
            context.model(ORACLE),
            questioner,
            context.model(SCENE_ENCODER),
            context.model(GUESSER));
    return DialogueProcessor.start(
        players,
        new DialogueMetrics(context.registry()),
        context.schemas(),
        context.stores(),
        context.emitter(),
        settings.stateTopic(),
        new DialogueSettings(
            context.outputTopic("replies"),
            Duration.ofSeconds(settings.gameIdleSeconds()),
            settings.maxGames(),
            settings.maxTurnsPerGame(),
            context.clock()));
  }

  @Override
  public Optional<DemoSource> demo(Path modelsDir) {
    Path version =
        new ModelRepository(modelsDir).versionDirectory("guesswhat-qgen", OptionalInt.empty());
    List<EvaluationGames.Game> games =
        EvaluationGames.read(version.resolve(EvaluationGames.FILE)).get("new_scenes");
    AvroCodec<DialogueTurn> codec = AvroCodec.forType(DialogueTurn.class, WriterSchemas.v1());
    return Optional.of(
        new DemoSource(
            DEMO_GAMES_PER_SECOND,
            n -> {
              String gameId = "demo-game-" + n;
              return new DemoSource.KeyedValue(
                  gameId, codec.encode(games.get((int) (n % games.size())).selfPlayTurn(gameId)));
            },
            () -> {}));
  }

  @Override
  public List<Object> produceCommands() {
    return List.of(new DialogueCommand());
  }

  @Override
  public List<Object> benchCommands() {
    return List.of(new DialogueBenchCommand());
  }

  @Override
  public List<ResultComparator<?>> resultComparators() {
    return List.of(new RepliesComparator());
  }
}
