package streaminfer.family.guesswhat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import streaminfer.v1.DialogueReply;
import streaminfer.v1.DialogueRole;
import streaminfer.v1.DialogueTurn;
import streaminfer.v1.SceneObject;

/**
 * Whole games played in process by the same players and rules as the pipeline, without Kafka or
 * game state: what the dialogue pipeline's throughput is measured against.
 */
public final class SelfPlay {
  private final Referee referee;

  public SelfPlay(Players players) {
    this.referee = new Referee(players);
  }

  public CompletableFuture<DialogueReply> play(
      String gameId, List<SceneObject> scene, int targetObjectId) {
    DialogueTurn turn =
        DialogueTurn.newBuilder()
            .setGameId(gameId)
            .setSeq(0)
            .setRole(DialogueRole.SELF_PLAY)
            .setScene(scene)
            .setTargetObjectId(targetObjectId)
            .build();
    long now = System.currentTimeMillis();
    return referee.play(referee.open(turn, now), turn, now).thenApply(Referee.Outcome::reply);
  }
}
