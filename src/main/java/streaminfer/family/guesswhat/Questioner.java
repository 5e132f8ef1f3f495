package streaminfer.family.guesswhat;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * Decodes QGen word by word as the trainer's self-play does (exporters/guesswhat/training.py): the
 * next word is a sample of softmax(logits); a question ends at "?" (forced once it has
 * maxQuestionTokens tokens); the dialogue ends at <stop>, forced once questionBudget questions are
 * answered. The LSTM state lives in the {@link Game}, so a question can wait for its answer across
 * turns, engine restarts included.
 */
final class Questioner {
  private final Players players;
  private final GameSpec spec;

  Questioner(Players players) {
    this.players = players;
    this.spec = players.spec();
  }

  /**
   * Appends the next question (ending in "?") to the game's tokens and returns it, or appends
   * <stop> and returns empty when the questioner is done. The game must not await an answer.
   */
  CompletableFuture<Optional<List<Integer>>> nextQuestion(
      Game game, float[] sceneCode, SplittableRandom random) {
    if (game.awaitsAnswer(spec)) {
      throw new IllegalStateException("the engine's question waits for its answer");
    }
    return catchUp(game, sceneCode)
        .thenCompose(
            ready -> {
              if (game.questionsAnswered(spec) >= spec.questionBudget()) {
                game.tokens.add(spec.stop());
                return CompletableFuture.completedFuture(Optional.empty());
              }
              return nextWord(game, sceneCode, random, game.tokens.size());
            });
  }

  /** Lets the LSTM read every token but the last (answers typed by a client, a pending "?"). */
  private CompletableFuture<Void> catchUp(Game game, float[] sceneCode) {
    if (game.consumed >= game.tokens.size() - 1) {
      return CompletableFuture.completedFuture(null);
    }
    return read(game, sceneCode).thenCompose(step -> catchUp(game, sceneCode));
  }

  private CompletableFuture<Players.Step> read(Game game, float[] sceneCode) {
    return players
        .step(game.tokens.get(game.consumed), game.h, game.c, sceneCode)
        .thenApply(
            step -> {
              game.h = step.h();
              game.c = step.c();
              game.consumed++;
              return step;
            });
  }

  private CompletableFuture<Optional<List<Integer>>> nextWord(
      Game game, float[] sceneCode, SplittableRandom random, int questionStart) {
    return read(game, sceneCode)
        .thenCompose(
            step -> {
              int length = game.tokens.size() - questionStart;
              int word =
                  length >= spec.maxQuestionTokens() - 1
                      ? spec.questionMark()
                      : sample(step.logits(), random);
              game.tokens.add(word);
              if (word == spec.stop()) {
                return CompletableFuture.completedFuture(Optional.empty());
              }
              if (word == spec.questionMark()) {
                return CompletableFuture.completedFuture(
                    Optional.of(
                        List.copyOf(game.tokens.subList(questionStart, game.tokens.size()))));
              }
              return nextWord(game, sceneCode, random, questionStart);
            });
  }

  static int sample(float[] logits, SplittableRandom random) {
    float[] probabilities = Players.softmax(logits);
    double draw = random.nextDouble();
    double cumulative = 0;
    for (int i = 0; i < probabilities.length; i++) {
      cumulative += probabilities[i];
      if (draw < cumulative) {
        return i;
      }
    }
    return Players.argmax(probabilities);
  }
}
