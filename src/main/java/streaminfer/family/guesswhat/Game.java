package streaminfer.family.guesswhat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import streaminfer.v1.GameState;
import streaminfer.v1.OracleAnswer;
import streaminfer.v1.QuestionAnswer;

/**
 * One game being played: its scene, the dialogue as token ids and the question generator's LSTM
 * state. Mutable, but only ever touched by the turn of its game that runs now (turns of a game are
 * chained), and saved as a {@link GameState} after every turn.
 */
final class Game {
  final String gameId;
  final Scene scene;
  final Integer target;
  final long firstSeq;
  long nextSeq;
  final List<Integer> tokens;

  /** Tokens the LSTM state has read; the token after them is the next input. */
  int consumed;

  float[] h;
  float[] c;
  final List<byte[]> replies;
  boolean ended;
  long lastActivityMillis;

  private Game(
      String gameId,
      Scene scene,
      Integer target,
      long firstSeq,
      long nextSeq,
      List<Integer> tokens,
      int consumed,
      float[] h,
      float[] c,
      List<byte[]> replies,
      boolean ended,
      long lastActivityMillis) {
    this.gameId = gameId;
    this.scene = scene;
    this.target = target;
    this.firstSeq = firstSeq;
    this.nextSeq = nextSeq;
    this.tokens = tokens;
    this.consumed = consumed;
    this.h = h;
    this.c = c;
    this.replies = replies;
    this.ended = ended;
    this.lastActivityMillis = lastActivityMillis;
  }

  static Game start(
      String gameId, long firstSeq, Scene scene, Integer target, GameSpec spec, long now) {
    if (target != null) {
      scene.indexOf(target);
    }
    List<Integer> tokens = new ArrayList<>();
    tokens.add(spec.start());
    return new Game(
        gameId,
        scene,
        target,
        firstSeq,
        firstSeq,
        tokens,
        0,
        new float[0],
        new float[0],
        new ArrayList<>(),
        false,
        now);
  }

  static Game restore(GameState state, GameSpec spec) {
    List<byte[]> replies = new ArrayList<>();
    for (ByteBuffer reply : state.getReplies()) {
      byte[] bytes = new byte[reply.remaining()];
      reply.duplicate().get(bytes);
      replies.add(bytes);
    }
    return new Game(
        state.getGameId(),
        Scene.of(state.getScene(), spec),
        state.getTargetObjectId(),
        state.getFirstSeq(),
        state.getNextSeq(),
        new ArrayList<>(state.getTokens()),
        state.getConsumed(),
        floats(state.getH()),
        floats(state.getC()),
        replies,
        state.getEnded(),
        state.getLastActivityMillis());
  }

  GameState toState() {
    return GameState.newBuilder()
        .setGameId(gameId)
        .setFirstSeq(firstSeq)
        .setNextSeq(nextSeq)
        .setScene(scene.objects())
        .setTargetObjectId(target)
        .setTokens(List.copyOf(tokens))
        .setConsumed(consumed)
        .setH(boxed(h))
        .setC(boxed(c))
        .setReplies(replies.stream().map(ByteBuffer::wrap).toList())
        .setEnded(ended)
        .setLastActivityMillis(lastActivityMillis)
        .build();
  }

  /** A deep copy, so a failed turn leaves the stored game as it was. */
  Game copy() {
    return new Game(
        gameId,
        scene,
        target,
        firstSeq,
        nextSeq,
        new ArrayList<>(tokens),
        consumed,
        h.clone(),
        c.clone(),
        new ArrayList<>(replies),
        ended,
        lastActivityMillis);
  }

  /** The reply this game gave to {@code seq}, which it has handled. */
  byte[] replyTo(long seq) {
    return replies.get(Math.toIntExact(seq - firstSeq));
  }

  int last() {
    return tokens.get(tokens.size() - 1);
  }

  /** Whether a question of the engine's waits for its answer. */
  boolean awaitsAnswer(GameSpec spec) {
    return last() == spec.questionMark();
  }

  int questionsAnswered(GameSpec spec) {
    return (int) tokens.stream().filter(token -> spec.answerOf(token) != null).count();
  }

  /** The dialogue the guesser reads: from <start> through the last answered question. */
  List<Integer> answeredDialogue(GameSpec spec) {
    int end = tokens.size();
    while (end > 1 && spec.answerOf(tokens.get(end - 1)) == null) {
      end--;
    }
    return List.copyOf(tokens.subList(0, end));
  }

  /** The questions and answers so far, as text. */
  List<QuestionAnswer> dialogue(GameSpec spec) {
    List<QuestionAnswer> pairs = new ArrayList<>();
    List<Integer> question = new ArrayList<>();
    for (int token : tokens.subList(1, tokens.size())) {
      OracleAnswer answer = spec.answerOf(token);
      if (answer != null) {
        pairs.add(new QuestionAnswer(spec.text(question), answer));
        question.clear();
      } else if (token != spec.stop()) {
        question.add(token);
      }
    }
    return pairs;
  }

  private static float[] floats(List<Float> values) {
    float[] array = new float[values.size()];
    for (int i = 0; i < array.length; i++) {
      array[i] = values.get(i);
    }
    return array;
  }

  private static List<Float> boxed(float[] values) {
    List<Float> list = new ArrayList<>(values.length);
    for (float value : values) {
      list.add(value);
    }
    return list;
  }
}
