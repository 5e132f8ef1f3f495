package streaminfer.family.guesswhat.tools;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import streaminfer.v1.DialogueReply;
import streaminfer.v1.DialogueRole;
import streaminfer.v1.DialogueTurn;
import streaminfer.v1.ReplyStatus;
import streaminfer.v1.SceneObject;

/** One game's turns: numbered from 0 by one, each sent and answered before the next. */
final class GameTurns {
  private final TurnExchange exchange;
  private final String gameId;
  private final List<SceneObject> scene;
  private long nextSeq;
  private boolean engineHasScene;

  GameTurns(TurnExchange exchange, String gameId, List<SceneObject> scene) {
    this.exchange = exchange;
    this.gameId = gameId;
    this.scene = List.copyOf(scene);
  }

  String gameId() {
    return gameId;
  }

  List<SceneObject> scene() {
    return scene;
  }

  /** Whether any turn has been sent, so the engine may hold state for this game. */
  boolean started() {
    return nextSeq > 0;
  }

  /**
   * Sends the turn as the game's next seq and returns the engine's reply. The scene rides along
   * until a turn is answered with anything but ERROR: an ERROR leaves the engine's game state
   * unchanged, so a refused first turn did not store the scene either.
   */
  DialogueReply send(DialogueTurn.Builder turn) throws TimeoutException, InterruptedException {
    turn.setGameId(gameId).setSeq(nextSeq++).setScene(engineHasScene ? null : scene);
    DialogueReply reply = exchange.exchange(turn.build());
    engineHasScene |= reply.getStatus() != ReplyStatus.ERROR;
    return reply;
  }

  /** Tells the engine to forget the game, if it ever heard of it; the reply when it refused. */
  Optional<DialogueReply> end() throws TimeoutException, InterruptedException {
    if (!started()) {
      return Optional.empty();
    }
    DialogueReply reply = send(DialogueTurn.newBuilder().setRole(DialogueRole.END));
    return reply.getStatus() == ReplyStatus.ERROR ? Optional.of(reply) : Optional.empty();
  }
}
