package streaminfer.family.guesswhat.tools;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import streaminfer.v1.DialogueReply;
import streaminfer.v1.DialogueTurn;
import streaminfer.v1.ReplyStatus;

/**
 * A stand-in for the engine in console tests: records every turn it is sent and answers each with
 * the next scripted reply, addressed to that turn's game and seq.
 */
final class ScriptedEngine implements TurnExchange {
  private final Queue<DialogueReply.Builder> script = new ArrayDeque<>();
  final List<DialogueTurn> turns = new ArrayList<>();

  /** Queues a reply of this status; the returned builder sets the rest of it. */
  DialogueReply.Builder then(ReplyStatus status) {
    DialogueReply.Builder reply = DialogueReply.newBuilder().setStatus(status);
    script.add(reply);
    return reply;
  }

  @Override
  public DialogueReply exchange(DialogueTurn turn) {
    turns.add(turn);
    DialogueReply.Builder reply = script.remove();
    return reply.setGameId(turn.getGameId()).setSeq(turn.getSeq()).setRole(turn.getRole()).build();
  }
}
