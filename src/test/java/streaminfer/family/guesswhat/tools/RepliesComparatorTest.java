package streaminfer.family.guesswhat.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import streaminfer.compare.Side;
import streaminfer.compare.Tally;
import streaminfer.compare.Tolerances;
import streaminfer.v1.DialogueReply;
import streaminfer.v1.DialogueRole;
import streaminfer.v1.DialogueTurn;
import streaminfer.v1.ObjectProbability;
import streaminfer.v1.OracleAnswer;
import streaminfer.v1.QuestionAnswer;
import streaminfer.v1.ReplyStatus;

class RepliesComparatorTest {
  private final RepliesComparator comparator = new RepliesComparator();
  private final Tally tally = new Tally(comparator.metrics());

  private static DialogueReply reply(
      DialogueRole role,
      String question,
      OracleAnswer answer,
      Integer guess,
      List<QuestionAnswer> dialogue,
      ReplyStatus status) {
    List<ObjectProbability> probabilities =
        guess == null
            ? null
            : List.of(
                new ObjectProbability(1, guess == 1 ? 0.7f : 0.3f),
                new ObjectProbability(2, guess == 2 ? 0.7f : 0.3f));
    return new DialogueReply(
        "g1", 3L, role, question, answer, guess, probabilities, dialogue, status, null, List.of());
  }

  private Map<String, Tally.MetricValue> metrics() {
    return tally.values().stream().collect(Collectors.toMap(v -> v.metric().name(), v -> v));
  }

  @Test
  void joinsOnTheTurnSeqAndFindsNoDifferenceInEqualReplies() {
    DialogueReply ask = reply(DialogueRole.ASK, "is it red?", null, null, null, ReplyStatus.OK);

    assertEquals("3", comparator.joinKey(ask));
    assertEquals(List.of(), comparator.compare(ask, ask, Tolerances.exact(), tally));
  }

  @Test
  void reportsChangedQuestionsAnswersAndGuesses() {
    List<String> question =
        comparator.compare(
            reply(DialogueRole.ASK, "is it red?", null, null, null, ReplyStatus.OK),
            reply(DialogueRole.ASK, "is it a cat?", null, null, null, ReplyStatus.OK),
            Tolerances.exact(),
            tally);
    List<String> answer =
        comparator.compare(
            reply(DialogueRole.ANSWER, null, OracleAnswer.YES, null, null, ReplyStatus.OK),
            reply(DialogueRole.ANSWER, null, OracleAnswer.NO, null, null, ReplyStatus.OK),
            Tolerances.exact(),
            tally);
    List<String> guess =
        comparator.compare(
            reply(DialogueRole.GUESS, null, null, 1, null, ReplyStatus.ENDED),
            reply(DialogueRole.GUESS, null, null, 2, null, ReplyStatus.ENDED),
            Tolerances.exact(),
            tally);

    assertEquals(List.of("question 'is it red?' -> 'is it a cat?'"), question);
    assertEquals(List.of("answer YES -> NO"), answer);
    assertEquals("guess 1 -> 2", guess.get(0));
    assertTrue(guess.get(1).startsWith("guess probabilities moved by up to 0.4"), guess.get(1));
    Map<String, Tally.MetricValue> m = metrics();
    assertEquals(1, m.get(RepliesComparator.CHANGED_QUESTIONS).n());
    assertEquals(1, m.get(RepliesComparator.CHANGED_ANSWERS).n());
    assertEquals(1, m.get(RepliesComparator.CHANGED_GUESSES).n());
    assertEquals(0, m.get(RepliesComparator.GUESS_AGREEMENT).hits());
    assertEquals(1, m.get(RepliesComparator.GUESS_AGREEMENT).n());
  }

  @Test
  void comparesASelfPlayedDialogueQuestionByQuestion() {
    List<QuestionAnswer> a =
        List.of(
            new QuestionAnswer("is it red?", OracleAnswer.NO),
            new QuestionAnswer("is it a cat?", OracleAnswer.YES));
    List<QuestionAnswer> b =
        List.of(
            new QuestionAnswer("is it red?", OracleAnswer.NO),
            new QuestionAnswer("is it a dog?", OracleAnswer.NO),
            new QuestionAnswer("is it left?", OracleAnswer.YES));

    List<String> changes =
        comparator.compare(
            reply(DialogueRole.SELF_PLAY, null, null, 2, a, ReplyStatus.ENDED),
            reply(DialogueRole.SELF_PLAY, null, null, 2, b, ReplyStatus.ENDED),
            Tolerances.exact(),
            tally);

    assertEquals(1, changes.size(), changes.toString());
    assertTrue(
        changes.get(0).startsWith("dialogue of 2 -> 3 questions: 2 questions and 2 answers differ"),
        changes.get(0));
    assertEquals(1, metrics().get(RepliesComparator.GUESS_AGREEMENT).hits());
  }

  @Test
  void ratesEachSidesRepliesThatWentThroughAndGivenTheTurnsItsSelfPlaySuccess() {
    DialogueTurn selfPlay = new DialogueTurn("g1", 3L, DialogueRole.SELF_PLAY, null, null, null, 2);
    DialogueReply found =
        reply(DialogueRole.SELF_PLAY, null, null, 2, List.of(), ReplyStatus.ENDED);
    DialogueReply missed =
        reply(DialogueRole.SELF_PLAY, null, null, 1, List.of(), ReplyStatus.ENDED);

    assertEquals(DialogueTurn.class, comparator.inputType());
    assertEquals("3", comparator.inputJoinKey(selfPlay));
    comparator.observe(Side.A, found, selfPlay, tally);
    comparator.observe(Side.B, missed, selfPlay, tally);
    comparator.observe(
        Side.B, reply(DialogueRole.ASK, null, null, null, null, ReplyStatus.ERROR), null, tally);
    // Without its turn a self-played game has no known target: no success trial.
    comparator.observe(Side.B, found, null, tally);

    Map<String, Tally.MetricValue> m = metrics();
    assertEquals(1.0, m.get(RepliesComparator.OK_RATE_A).fraction());
    assertEquals(2.0 / 3, m.get(RepliesComparator.OK_RATE_B).fraction(), 1e-12);
    assertEquals(1.0, m.get(RepliesComparator.SUCCESS_RATE_A).fraction());
    assertEquals(0.0, m.get(RepliesComparator.SUCCESS_RATE_B).fraction());
    assertEquals(1, m.get(RepliesComparator.SUCCESS_RATE_B).n());
  }
}
