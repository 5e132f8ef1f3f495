package streaminfer.family.guesswhat.tools;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import streaminfer.v1.DialogueReply;
import streaminfer.v1.DialogueRole;
import streaminfer.v1.DialogueTurn;
import streaminfer.v1.OracleAnswer;

/**
 * The person knows the target and answers the engine's questions; the engine asks until it is ready
 * to guess, then names its pick.
 */
final class OracleConsole {
  private final GameTurns game;
  private final int target;
  private final BufferedReader in;
  private final PrintStream out;
  private final ReplyPrinter replies;

  OracleConsole(GameTurns game, int target, BufferedReader in, PrintStream out) {
    this.game = game;
    this.target = target;
    this.in = in;
    this.out = out;
    this.replies = new ReplyPrinter(out, game);
  }

  Outcome play() throws IOException, TimeoutException, InterruptedException {
    SceneTable.print(out, game.scene());
    out.println("Your object is " + replies.name(target) + "; the engine does not know which.");
    out.println("Answer its questions with y, n or na ('not applicable': the object sits on");
    out.println("the middle line the question asks about); 'quit' stops the game.");
    OracleAnswer answer = null;
    String question = null;
    while (true) {
      DialogueReply reply =
          game.send(DialogueTurn.newBuilder().setRole(DialogueRole.ASK).setAnswer(answer));
      switch (reply.getStatus()) {
        case OK -> question = reply.getQuestion();
        case ERROR -> {
          replies.error(reply);
          // A refused first turn leaves nothing to answer; later, the last question stands.
          if (question == null) {
            return Outcome.DROPPED;
          }
        }
        case ENDED -> {
          replies.guess(reply, target);
          return Outcome.FINISHED;
        }
        case EVICTED -> {
          replies.evicted();
          return Outcome.DROPPED;
        }
      }
      out.println("The engine asks: " + question);
      Optional<OracleAnswer> typed = readAnswer();
      if (typed.isEmpty()) {
        return quit();
      }
      answer = typed.get();
    }
  }

  /** The person's answer; empty when they quit or the input ended. Re-prompts on anything else. */
  private Optional<OracleAnswer> readAnswer() throws IOException {
    while (true) {
      out.print("answer (y/n/na, quit)> ");
      out.flush();
      String line = in.readLine();
      if (line == null || line.strip().equalsIgnoreCase("quit")) {
        return Optional.empty();
      }
      Optional<OracleAnswer> answer = OracleAnswers.parse(line);
      if (answer.isPresent()) {
        return answer;
      }
      out.println("Please answer y, n or na (or quit).");
    }
  }

  private Outcome quit() throws TimeoutException, InterruptedException {
    game.end().ifPresent(replies::error);
    return Outcome.FINISHED;
  }
}
