package streaminfer.family.guesswhat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import streaminfer.v1.DialogueRole;
import streaminfer.v1.DialogueTurn;
import streaminfer.v1.SceneObject;

/**
 * The held-out games the trainer's report scores ({@code evaluation_games.json} beside QGen): scene
 * and target per game, by split. Object ids are positions in the scene.
 */
public final class EvaluationGames {
  public static final String FILE = "evaluation_games.json";

  /** One game to play: its scene and the oracle's object. */
  public record Game(List<SceneObject> scene, int targetObjectId) {
    /** The turn that asks the engine to play this game by itself. */
    public DialogueTurn selfPlayTurn(String gameId) {
      return DialogueTurn.newBuilder()
          .setGameId(gameId)
          .setSeq(0)
          .setRole(DialogueRole.SELF_PLAY)
          .setScene(scene)
          .setTargetObjectId(targetObjectId)
          .build();
    }
  }

  private EvaluationGames() {}

  public static Map<String, List<Game>> read(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read evaluation games " + file, e);
    }
    Map<String, List<Game>> splits = new LinkedHashMap<>();
    root.get("splits")
        .properties()
        .forEach(
            split -> {
              List<Game> games = new ArrayList<>();
              for (JsonNode game : split.getValue()) {
                List<SceneObject> scene = new ArrayList<>();
                for (JsonNode object : game.get("objects")) {
                  scene.add(
                      new SceneObject(
                          scene.size(),
                          object.get(0).asText(),
                          object.get(1).asText(),
                          (float) object.get(2).asDouble(),
                          (float) object.get(3).asDouble(),
                          (float) object.get(4).asDouble(),
                          (float) object.get(5).asDouble()));
                }
                games.add(new Game(scene, game.get("target").asInt()));
              }
              splits.put(split.getKey(), games);
            });
    return splits;
  }
}
