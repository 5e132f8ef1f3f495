package streaminfer.family.guesswhat.tools;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import streaminfer.v1.DialogueReply;
import streaminfer.v1.DialogueRole;
import streaminfer.v1.DialogueTurn;

/**
 * The person asks yes/no questions about a hidden object and the engine answers as the oracle; the
 * person then guesses, or lets the engine's guesser pick from the dialogue so far.
 */
final class QuestionerConsole {
  private static final Pattern GUESS = Pattern.compile("guess\\s+(\\d{1,9})");

  private final GameTurns game;
  private final int target;
  private final BufferedReader in;
  private final PrintStream out;
  private final ReplyPrinter replies;

  QuestionerConsole(GameTurns game, int target, BufferedReader in, PrintStream out) {
    this.game = game;
    this.target = target;
    this.in = in;
    this.out = out;
    this.replies = new ReplyPrinter(out, game);
  }

  Outcome play() throws IOException, TimeoutException, InterruptedException {
    out.println("One of these objects is hidden. Ask yes/no questions to find it, such as");
    out.println("  is it a circle?   is it red?   is it on the left?   is it at the top?");
    out.println("then 'guess <id>', or 'ask-engine' to let the engine guess; 'quit' gives up.");
    SceneTable.print(out, game.scene());
    Optional<Outcome> outcome = Optional.empty();
    while (outcome.isEmpty()) {
      out.print("question> ");
      out.flush();
      outcome = next(in.readLine());
    }
    return outcome.get();
  }

  /** Acts on one typed line (null: the input ended, which quits); empty while the game goes on. */
  private Optional<Outcome> next(String line) throws TimeoutException, InterruptedException {
    if (line == null) {
      return Optional.of(quit());
    }
    String typed = line.strip();
    Matcher guess = GUESS.matcher(typed.toLowerCase(Locale.ROOT));
    if (typed.isEmpty()) {
      return Optional.empty();
    } else if (typed.equalsIgnoreCase("quit")) {
      return Optional.of(quit());
    } else if (typed.equalsIgnoreCase("ask-engine")) {
      return askEngine();
    } else if (guess.matches()) {
      return guess(Integer.parseInt(guess.group(1)));
    }
    return ask(typed);
  }

  private Optional<Outcome> ask(String question) throws TimeoutException, InterruptedException {
    DialogueReply reply =
        game.send(
            DialogueTurn.newBuilder()
                .setRole(DialogueRole.ANSWER)
                .setQuestion(question)
                .setTargetObjectId(target));
    return switch (reply.getStatus()) {
      case OK -> {
        out.println(
            reply.getAnswer() == null ? "(no answer)" : OracleAnswers.word(reply.getAnswer()));
        yield Optional.empty();
      }
      case ERROR -> {
        replies.error(reply);
        out.println("Try another question.");
        yield Optional.empty();
      }
      case ENDED -> {
        out.println("The engine ended the game.");
        yield Optional.of(Outcome.FINISHED);
      }
      case EVICTED -> {
        replies.evicted();
        yield Optional.of(Outcome.DROPPED);
      }
    };
  }

  /** The engine's guesser picks from the dialogue so far, which ends the game. */
  private Optional<Outcome> askEngine() throws TimeoutException, InterruptedException {
    DialogueReply reply = game.send(DialogueTurn.newBuilder().setRole(DialogueRole.GUESS));
    return switch (reply.getStatus()) {
      case OK, ENDED -> {
        replies.guess(reply, target);
        yield Optional.of(Outcome.FINISHED);
      }
      case ERROR -> {
        replies.error(reply);
        yield Optional.empty();
      }
      case EVICTED -> {
        replies.evicted();
        yield Optional.of(Outcome.DROPPED);
      }
    };
  }

  /** The person's guess is judged here, where the target is known; the engine is told to end. */
  private Optional<Outcome> guess(int objectId) throws TimeoutException, InterruptedException {
    if (SceneTable.find(game.scene(), objectId).isEmpty()) {
      out.println("There is no object " + objectId + " in the scene.");
      return Optional.empty();
    }
    out.println(
        objectId == target
            ? "Right, it is " + replies.name(target) + "!"
            : "Wrong, it was " + replies.name(target) + ".");
    return Optional.of(end());
  }

  private Outcome quit() throws TimeoutException, InterruptedException {
    out.println("The object was " + replies.name(target) + ".");
    return end();
  }

  private Outcome end() throws TimeoutException, InterruptedException {
    game.end().ifPresent(replies::error);
    return Outcome.FINISHED;
  }
}
