package streaminfer.family.guesswhat.tools;

import java.util.concurrent.TimeoutException;
import streaminfer.v1.DialogueReply;
import streaminfer.v1.DialogueTurn;

/** Sends one turn of a game to the engine and waits for the engine's reply to that turn. */
interface TurnExchange {
  /**
   * The reply with the turn's gameId and seq.
   *
   * @throws TimeoutException if that reply did not come in time
   */
  DialogueReply exchange(DialogueTurn turn) throws TimeoutException, InterruptedException;
}
