package streaminfer.family.guesswhat.tools;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import streaminfer.compare.Metric;
import streaminfer.compare.ResultComparator;
import streaminfer.compare.Side;
import streaminfer.compare.Tally;
import streaminfer.compare.Tolerances;
import streaminfer.v1.DialogueReply;
import streaminfer.v1.DialogueRole;
import streaminfer.v1.DialogueTurn;
import streaminfer.v1.ObjectProbability;
import streaminfer.v1.QuestionAnswer;
import streaminfer.v1.ReplyStatus;

/**
 * Compares two engines' replies to one dialogue turn (joined by game id and turn seq): the
 * questions asked, the oracle's answers and the guesser's pick, also inside a self-played dialogue,
 * plus how far the guesser's probabilities moved. A reply carries no target, so a guess is judged
 * by agreement between A and B, and, given the turns ({@code --inputs}), a self-played game's
 * success by its turn's target.
 */
public final class RepliesComparator implements ResultComparator<DialogueReply> {
  static final String CHANGED_QUESTIONS = "changed questions";
  static final String CHANGED_ANSWERS = "changed answers";
  static final String CHANGED_GUESSES = "changed guesses";
  static final String CHANGED_STATUS = "changed statuses";
  static final String PROBABILITY_DIFF = "|probability diff|";
  static final String GUESS_AGREEMENT = "guess agreement";
  static final String OK_RATE_A = "A replies OK";
  static final String OK_RATE_B = "B replies OK";
  static final String SUCCESS_RATE_A = "A success rate";
  static final String SUCCESS_RATE_B = "B success rate";

  @Override
  public Class<DialogueReply> recordType() {
    return DialogueReply.class;
  }

  @Override
  public String joinKey(DialogueReply record) {
    return Long.toString(record.getSeq());
  }

  @Override
  public List<Metric> metrics() {
    return List.of(
        Metric.count(CHANGED_QUESTIONS, "generated questions that differ, also within self-play"),
        Metric.count(CHANGED_ANSWERS, "oracle answers that differ, also within self-play"),
        Metric.count(CHANGED_GUESSES, "guesses that pick another object"),
        Metric.count(CHANGED_STATUS, "replies whose status differs (OK, ERROR, ENDED, EVICTED)"),
        Metric.distribution(
            PROBABILITY_DIFF, "largest difference of an object's guess probability per reply"),
        Metric.rate(GUESS_AGREEMENT, "guesses of A and B that pick the same object"),
        Metric.rate(OK_RATE_A, "replies of A with status OK or ENDED"),
        Metric.rate(OK_RATE_B, "replies of B with status OK or ENDED"),
        Metric.rate(
            SUCCESS_RATE_A, "self-played games of A whose guess is the target (needs --inputs)"),
        Metric.rate(
            SUCCESS_RATE_B, "self-played games of B whose guess is the target (needs --inputs)"));
  }

  /** The turns: a self-play turn names the target its game's guess should find. */
  @Override
  public Class<DialogueTurn> inputType() {
    return DialogueTurn.class;
  }

  @Override
  public String inputJoinKey(SpecificRecord input) {
    return Long.toString(((DialogueTurn) input).getSeq());
  }

  @Override
  public void observe(Side side, DialogueReply record, SpecificRecord input, Tally tally) {
    boolean ok = record.getStatus() == ReplyStatus.OK || record.getStatus() == ReplyStatus.ENDED;
    tally.rate(side == Side.A ? OK_RATE_A : OK_RATE_B, ok);
    if (input instanceof DialogueTurn turn
        && turn.getRole() == DialogueRole.SELF_PLAY
        && turn.getTargetObjectId() != null
        && record.getGuessedObjectId() != null) {
      tally.rate(
          side == Side.A ? SUCCESS_RATE_A : SUCCESS_RATE_B,
          turn.getTargetObjectId().equals(record.getGuessedObjectId()));
    }
  }

  @Override
  public List<String> compare(
      DialogueReply a, DialogueReply b, Tolerances tolerances, Tally tally) {
    List<String> changes = new ArrayList<>();
    if (a.getStatus() != b.getStatus()) {
      tally.count(CHANGED_STATUS, 1);
      changes.add("status " + a.getStatus() + " -> " + b.getStatus());
    }
    if (!Objects.equals(a.getQuestion(), b.getQuestion())) {
      tally.count(CHANGED_QUESTIONS, 1);
      changes.add("question '" + a.getQuestion() + "' -> '" + b.getQuestion() + "'");
    }
    if (a.getAnswer() != b.getAnswer()) {
      tally.count(CHANGED_ANSWERS, 1);
      changes.add("answer " + a.getAnswer() + " -> " + b.getAnswer());
    }
    compareDialogues(a.getDialogue(), b.getDialogue(), tally, changes);
    if (a.getGuessedObjectId() != null || b.getGuessedObjectId() != null) {
      boolean same = Objects.equals(a.getGuessedObjectId(), b.getGuessedObjectId());
      tally.rate(GUESS_AGREEMENT, same);
      if (!same) {
        tally.count(CHANGED_GUESSES, 1);
        changes.add("guess " + a.getGuessedObjectId() + " -> " + b.getGuessedObjectId());
      }
    }
    compareProbabilities(a.getObjectProbabilities(), b.getObjectProbabilities(), tolerances, tally)
        .ifPresent(changes::add);
    return changes;
  }

  private static void compareDialogues(
      List<QuestionAnswer> a, List<QuestionAnswer> b, Tally tally, List<String> changes) {
    if (a == null && b == null) {
      return;
    }
    List<QuestionAnswer> x = a == null ? List.of() : a;
    List<QuestionAnswer> y = b == null ? List.of() : b;
    int questions = 0;
    int answers = 0;
    int firstChange = -1;
    for (int i = 0; i < Math.max(x.size(), y.size()); i++) {
      QuestionAnswer u = i < x.size() ? x.get(i) : null;
      QuestionAnswer v = i < y.size() ? y.get(i) : null;
      boolean question =
          !Objects.equals(u == null ? null : u.getQuestion(), v == null ? null : v.getQuestion());
      boolean answer =
          !Objects.equals(u == null ? null : u.getAnswer(), v == null ? null : v.getAnswer());
      questions += question ? 1 : 0;
      answers += answer ? 1 : 0;
      if ((question || answer) && firstChange < 0) {
        firstChange = i;
      }
    }
    tally.count(CHANGED_QUESTIONS, questions);
    tally.count(CHANGED_ANSWERS, answers);
    if (firstChange >= 0) {
      changes.add(
          String.format(
              Locale.ROOT,
              "dialogue of %d -> %d questions: %d questions and %d answers differ, from question"
                  + " %d on ('%s' -> '%s')",
              x.size(),
              y.size(),
              questions,
              answers,
              firstChange + 1,
              firstChange < x.size() ? x.get(firstChange).getQuestion() : "",
              firstChange < y.size() ? y.get(firstChange).getQuestion() : ""));
    }
  }

  private static Optional<String> compareProbabilities(
      List<ObjectProbability> a, List<ObjectProbability> b, Tolerances tolerances, Tally tally) {
    if (a == null || b == null) {
      return Optional.empty();
    }
    Map<Integer, Float> byObject = new HashMap<>();
    a.forEach(p -> byObject.put(p.getObjectId(), p.getProbability()));
    double max = 0;
    boolean moved = false;
    for (ObjectProbability p : b) {
      Float other = byObject.get(p.getObjectId());
      if (other == null) {
        continue;
      }
      max = Math.max(max, Math.abs((double) other - p.getProbability()));
      moved |= tolerances.differ(other, p.getProbability());
    }
    tally.observe(PROBABILITY_DIFF, max);
    return moved
        ? Optional.of(String.format(Locale.ROOT, "guess probabilities moved by up to %.4g", max))
        : Optional.empty();
  }
}
