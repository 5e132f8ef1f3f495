package streaminfer.family.guesswhat;

import java.util.concurrent.CompletableFuture;
import streaminfer.v1.DialogueReply;
import streaminfer.v1.DialogueRole;
import streaminfer.v1.DialogueTurn;

/**
 * Whole games played in process by the same players and rules as the pipeline, without Kafka or
 * game state: what the dialogue pipeline's throughput is measured against.
 */
public final class SelfPlay {
  private final Referee referee;

  public SelfPlay(Players players) {
    this.referee = new Referee(players);
  }

  /** Plays a SELF_PLAY turn (see {@link EvaluationGames.Game#selfPlayTurn}) as a new game. */
  public CompletableFuture<DialogueReply> play(DialogueTurn turn) {
    if (turn.getRole() != DialogueRole.SELF_PLAY) {
      throw new IllegalArgumentException("not a SELF_PLAY turn: " + turn.getRole());
    }
    long now = System.currentTimeMillis();
    return referee.play(referee.open(turn, now), turn, now).thenApply(Referee.Outcome::reply);
  }
}
