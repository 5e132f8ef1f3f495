package streaminfer.family.guesswhat.tools;

import java.io.PrintStream;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import streaminfer.v1.DialogueReply;
import streaminfer.v1.ObjectProbability;
import streaminfer.v1.QuestionAnswer;

/** Tells the person what an engine reply means for their game. */
final class ReplyPrinter {
  private final PrintStream out;
  private final GameTurns game;

  ReplyPrinter(PrintStream out, GameTurns game) {
    this.out = out;
    this.game = game;
  }

  void evicted() {
    out.printf(
        "The engine dropped game %s (idle too long, or too many games); start a new one.%n",
        game.gameId());
  }

  void error(DialogueReply reply) {
    out.println("The engine refused that turn: " + reply.getError());
  }

  /** The guesser's pick against the target, then its belief in every object, likeliest first. */
  void guess(DialogueReply reply, int target) {
    if (reply.getDialogue() != null && !reply.getDialogue().isEmpty()) {
      out.println("The dialogue as the engine recorded it:");
      for (QuestionAnswer turn : reply.getDialogue()) {
        out.printf("  %s %s%n", turn.getQuestion(), OracleAnswers.word(turn.getAnswer()));
      }
    }
    Integer guessed = reply.getGuessedObjectId();
    if (guessed == null) {
      out.println("The engine ended the game without a guess.");
      return;
    }
    out.printf(
        "The engine guesses %s: %s%n",
        name(guessed),
        guessed == target ? "right!" : "wrong, the object was " + name(target) + ".");
    if (reply.getObjectProbabilities() == null) {
      return;
    }
    List<ObjectProbability> likeliest =
        reply.getObjectProbabilities().stream()
            .sorted(Comparator.comparingDouble(ObjectProbability::getProbability).reversed())
            .toList();
    for (ObjectProbability p : likeliest) {
      boolean isGuess = p.getObjectId() == guessed;
      boolean isTarget = p.getObjectId() == target;
      String mark =
          isGuess && isTarget
              ? "  <- guess, target"
              : isGuess ? "  <- guess" : isTarget ? "  <- target" : "";
      out.printf(Locale.ROOT, "  %5.3f  %s%s%n", p.getProbability(), name(p.getObjectId()), mark);
    }
  }

  /** An object's description; the bare id when the scene lacks it (a reply may name any id). */
  String name(int objectId) {
    return SceneTable.find(game.scene(), objectId)
        .map(SceneTable::describe)
        .orElse("object " + objectId + " (not in the scene)");
  }
}
