package streaminfer.family.guesswhat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import streaminfer.v1.DialogueReply;
import streaminfer.v1.DialogueRole;
import streaminfer.v1.DialogueTurn;
import streaminfer.v1.ModelRef;
import streaminfer.v1.ObjectProbability;
import streaminfer.v1.OracleAnswer;
import streaminfer.v1.ReplyStatus;

/**
 * Plays one turn of one game: the engine answers (oracle), asks (QGen, then the guesser once QGen
 * stops), guesses, or plays the whole game itself. Works on a copy of the game, so a turn that
 * fails leaves the game as it was.
 *
 * <p>Sampling is seeded by game id and seq: a turn replayed from the same state (a restart between
 * saving the state and producing the reply) gets the same question again.
 */
final class Referee {
  private final Players players;
  private final GameSpec spec;
  private final Questioner questioner;

  /** A finished turn: the reply and the game to keep (its state after the turn). */
  record Outcome(DialogueReply reply, Game game) {}

  Referee(Players players) {
    this.players = players;
    this.spec = players.spec();
    this.questioner = new Questioner(players);
  }

  /**
   * A new game from its first turn, which carries the scene; throws {@link InvalidTurnException}
   * for a bad one.
   */
  Game open(DialogueTurn turn, long now) {
    return Game.start(
        turn.getGameId(),
        turn.getSeq(),
        Scene.of(turn.getScene(), spec),
        turn.getTargetObjectId(),
        spec,
        now);
  }

  CompletableFuture<Outcome> play(Game stored, DialogueTurn turn, long now) {
    Game game = stored.copy();
    game.lastActivityMillis = now;
    if (game.ended) {
      throw new InvalidTurnException("game " + game.gameId + " is over");
    }
    if (turn.getScene() != null && game.nextSeq > game.firstSeq) {
      throw new InvalidTurnException("the scene is set by the game's first turn");
    }
    Reply reply = new Reply(turn);
    CompletableFuture<DialogueReply> played =
        switch (turn.getRole()) {
          case ANSWER -> answer(game, turn, reply);
          case ASK -> ask(game, turn, reply);
          case GUESS -> guess(game, turn, reply);
          case SELF_PLAY -> selfPlay(game, turn, reply);
          case END -> {
            game.ended = true;
            yield CompletableFuture.completedFuture(reply.status(ReplyStatus.ENDED).build());
          }
        };
    return played.thenApply(built -> new Outcome(built, game));
  }

  private CompletableFuture<DialogueReply> answer(Game game, DialogueTurn turn, Reply reply) {
    if (turn.getQuestion() == null) {
      throw new InvalidTurnException("an ANSWER turn needs a question");
    }
    requireNoPendingQuestion(game);
    if (game.questionsAnswered(spec) >= spec.questionBudget()) {
      throw new InvalidTurnException(
          "the game has used its budget of " + spec.questionBudget() + " questions; guess or end");
    }
    int[] question = spec.question(turn.getQuestion());
    int target = game.scene.indexOf(targetOf(game, turn));
    return players
        .answer(question, game.scene, target)
        .thenApply(
            answer -> {
              for (int token : question) {
                game.tokens.add(token);
              }
              game.tokens.add(spec.answerToken(answer));
              reply.models.add(players.oracleRef());
              return reply.status(ReplyStatus.OK).setAnswer(answer).build();
            });
  }

  private CompletableFuture<DialogueReply> ask(Game game, DialogueTurn turn, Reply reply) {
    takeAnswer(game, turn);
    reply.models.add(players.questionerRef());
    return players
        .encodeScene(game.scene)
        .thenCompose(scene -> questioner.nextQuestion(game, scene, random(turn)))
        .thenCompose(
            question ->
                question.isPresent()
                    ? CompletableFuture.completedFuture(
                        reply.status(ReplyStatus.OK).setQuestion(spec.text(question.get())).build())
                    : finish(game, reply));
  }

  private CompletableFuture<DialogueReply> guess(Game game, DialogueTurn turn, Reply reply) {
    takeAnswer(game, turn);
    return finish(game, reply);
  }

  private CompletableFuture<DialogueReply> selfPlay(Game game, DialogueTurn turn, Reply reply) {
    if (game.tokens.size() > 1) {
      throw new InvalidTurnException("self-play starts a game; this one is under way");
    }
    int target = game.scene.indexOf(targetOf(game, turn));
    reply.models.add(players.questionerRef());
    reply.models.add(players.oracleRef());
    SplittableRandom random = random(turn);
    return players
        .encodeScene(game.scene)
        .thenCompose(scene -> selfPlayRound(game, scene, target, random))
        .thenCompose(done -> finish(game, reply));
  }

  /** Questions and oracle answers until the questioner stops. */
  private CompletableFuture<Void> selfPlayRound(
      Game game, float[] scene, int target, SplittableRandom random) {
    return questioner
        .nextQuestion(game, scene, random)
        .thenCompose(
            question -> {
              if (question.isEmpty()) {
                return CompletableFuture.completedFuture(null);
              }
              int[] ids = question.get().stream().mapToInt(Integer::intValue).toArray();
              return players
                  .answer(ids, game.scene, target)
                  .thenCompose(
                      answer -> {
                        game.tokens.add(spec.answerToken(answer));
                        return selfPlayRound(game, scene, target, random);
                      });
            });
  }

  /** The guesser's pick ends the game. */
  private CompletableFuture<DialogueReply> finish(Game game, Reply reply) {
    reply.models.add(players.guesserRef());
    return players
        .guess(game.answeredDialogue(spec), game.scene)
        .thenApply(
            probabilities -> {
              game.ended = true;
              List<ObjectProbability> scored = new ArrayList<>();
              for (int i = 0; i < probabilities.length; i++) {
                scored.add(
                    new ObjectProbability(
                        game.scene.objects().get(i).getObjectId(), probabilities[i]));
              }
              DialogueReply.Builder built = reply.status(ReplyStatus.ENDED);
              return built
                  .setGuessedObjectId(
                      game.scene.objects().get(Players.argmax(probabilities)).getObjectId())
                  .setObjectProbabilities(scored)
                  .setDialogue(game.dialogue(spec))
                  .setModels(List.copyOf(reply.models))
                  .build();
            });
  }

  /** The turn's answer to the engine's pending question, if it carries one. */
  private void takeAnswer(Game game, DialogueTurn turn) {
    OracleAnswer answer = turn.getAnswer();
    if (answer == null) {
      requireNoPendingQuestion(game);
      return;
    }
    if (!game.awaitsAnswer(spec)) {
      throw new InvalidTurnException("an answer was sent but the engine asked no question");
    }
    game.tokens.add(spec.answerToken(answer));
  }

  private void requireNoPendingQuestion(Game game) {
    if (game.awaitsAnswer(spec)) {
      throw new InvalidTurnException(
          "the engine's question '" + pendingText(game) + "' waits for an answer");
    }
  }

  private String pendingText(Game game) {
    int start = game.tokens.size() - 1;
    while (start > 0
        && spec.answerOf(game.tokens.get(start - 1)) == null
        && game.tokens.get(start - 1) != spec.start()) {
      start--;
    }
    return spec.text(game.tokens.subList(start, game.tokens.size()));
  }

  private static int targetOf(Game game, DialogueTurn turn) {
    Integer target = turn.getTargetObjectId() != null ? turn.getTargetObjectId() : game.target;
    if (target == null) {
      throw new InvalidTurnException("the oracle needs targetObjectId (on the game's first turn)");
    }
    return target;
  }

  private static SplittableRandom random(DialogueTurn turn) {
    return new SplittableRandom(turn.getGameId().hashCode() * 0x9E3779B97F4A7C15L + turn.getSeq());
  }

  /** A reply under construction, echoing the turn. */
  private static final class Reply {
    final DialogueReply.Builder builder;
    final List<ModelRef> models = new ArrayList<>();

    Reply(DialogueTurn turn) {
      builder =
          DialogueReply.newBuilder()
              .setGameId(turn.getGameId())
              .setSeq(turn.getSeq())
              .setRole(turn.getRole());
    }

    DialogueReply.Builder status(ReplyStatus status) {
      return builder.setStatus(status).setModels(models);
    }
  }

  /** The reply to a turn the game could not take. */
  static DialogueReply error(DialogueTurn turn, String reason) {
    return DialogueReply.newBuilder()
        .setGameId(turn.getGameId())
        .setSeq(turn.getSeq())
        .setRole(turn.getRole())
        .setStatus(ReplyStatus.ERROR)
        .setError(reason)
        .setModels(List.of())
        .build();
  }

  /** The notice that a game was dropped for being idle. */
  static DialogueReply evicted(Game game, String reason) {
    return DialogueReply.newBuilder()
        .setGameId(game.gameId)
        .setSeq(Math.max(0, game.nextSeq - 1))
        .setRole(DialogueRole.END)
        .setStatus(ReplyStatus.EVICTED)
        .setError(reason)
        .setModels(List.of())
        .build();
  }
}
