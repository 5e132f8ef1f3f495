package streaminfer.family.guesswhat.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import streaminfer.v1.DialogueRole;
import streaminfer.v1.DialogueTurn;
import streaminfer.v1.ObjectProbability;
import streaminfer.v1.OracleAnswer;
import streaminfer.v1.ReplyStatus;

class QuestionerConsoleTest {
  private static final int TARGET = 2;

  private final ScriptedEngine engine = new ScriptedEngine();
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

  private Outcome play(String typed) throws Exception {
    GameTurns game = new GameTurns(engine, "g1", TestScenes.threeShapes());
    BufferedReader in = new BufferedReader(new StringReader(typed));
    PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    return new QuestionerConsole(game, TARGET, in, out).play();
  }

  private String output() {
    return printed.toString(StandardCharsets.UTF_8);
  }

  private List<Long> seqs() {
    return engine.turns.stream().map(DialogueTurn::getSeq).toList();
  }

  private List<DialogueRole> roles() {
    return engine.turns.stream().map(DialogueTurn::getRole).toList();
  }

  @Test
  void questionsGoOutAsAnswerTurnsNumberedFromZeroWithTheSceneOnlyOnTheFirst() throws Exception {
    engine.then(ReplyStatus.OK).setAnswer(OracleAnswer.NO);
    engine.then(ReplyStatus.OK).setAnswer(OracleAnswer.YES);
    engine.then(ReplyStatus.ENDED);

    assertEquals(Outcome.FINISHED, play("is it red?\nis it a square?\nquit\n"));

    assertEquals(List.of(0L, 1L, 2L), seqs());
    assertEquals(List.of(DialogueRole.ANSWER, DialogueRole.ANSWER, DialogueRole.END), roles());
    assertEquals("is it red?", engine.turns.get(0).getQuestion());
    assertEquals("is it a square?", engine.turns.get(1).getQuestion());
    assertEquals(TestScenes.threeShapes(), engine.turns.get(0).getScene());
    assertNull(engine.turns.get(1).getScene());
    assertNull(engine.turns.get(2).getScene());
    assertTrue(output().contains("no\n"), output());
    assertTrue(output().contains("yes\n"), output());
  }

  @Test
  void everyQuestionCarriesTheHiddenTarget() throws Exception {
    engine.then(ReplyStatus.OK).setAnswer(OracleAnswer.NO);
    engine.then(ReplyStatus.OK).setAnswer(OracleAnswer.NA);
    engine.then(ReplyStatus.ENDED);

    play("is it red?\nis it on the left?\nquit\n");

    assertEquals(TARGET, engine.turns.get(0).getTargetObjectId());
    assertEquals(TARGET, engine.turns.get(1).getTargetObjectId());
    assertTrue(output().contains("n/a\n"), output());
  }

  @Test
  void anErrorReplyIsShownAndTheNextQuestionTakesTheNextSeqAndResendsTheRefusedScene()
      throws Exception {
    engine.then(ReplyStatus.ERROR).setError("no known words in 'is it mauve?'");
    engine.then(ReplyStatus.OK).setAnswer(OracleAnswer.NO);
    engine.then(ReplyStatus.OK).setAnswer(OracleAnswer.YES);
    engine.then(ReplyStatus.ENDED);

    assertEquals(Outcome.FINISHED, play("is it mauve?\nis it red?\nis it blue?\nquit\n"));

    assertEquals(List.of(0L, 1L, 2L, 3L), seqs());
    assertTrue(output().contains("no known words in 'is it mauve?'"), output());
    assertNotNull(engine.turns.get(1).getScene(), "the refused first turn did not store it");
    assertNull(engine.turns.get(2).getScene());
  }

  @Test
  void guessingTheTargetSaysRightAndEndsTheGame() throws Exception {
    engine.then(ReplyStatus.OK).setAnswer(OracleAnswer.YES);
    engine.then(ReplyStatus.ENDED);

    assertEquals(Outcome.FINISHED, play("is it blue?\nguess 2\n"));

    assertEquals(List.of(DialogueRole.ANSWER, DialogueRole.END), roles());
    assertTrue(output().contains("Right, it is blue square (2)!"), output());
  }

  @Test
  void guessingAnotherObjectSaysWhichWasTheTarget() throws Exception {
    engine.then(ReplyStatus.ENDED);

    play("guess 3\n");

    assertTrue(output().contains("Wrong, it was blue square (2)."), output());
  }

  @Test
  void guessingAnIdTheSceneLacksSendsNothingAndAsksAgain() throws Exception {
    engine.then(ReplyStatus.OK).setAnswer(OracleAnswer.YES);
    engine.then(ReplyStatus.ENDED);

    play("is it blue?\nguess 9\nguess 2\n");

    assertEquals(List.of(DialogueRole.ANSWER, DialogueRole.END), roles());
    assertEquals(List.of(0L, 1L), seqs());
    assertTrue(output().contains("There is no object 9 in the scene."), output());
  }

  @Test
  void askEngineSendsAGuessTurnAndShowsThePickAndProbabilitiesAgainstTheTarget() throws Exception {
    engine.then(ReplyStatus.OK).setAnswer(OracleAnswer.NO);
    engine
        .then(ReplyStatus.ENDED)
        .setGuessedObjectId(3)
        .setObjectProbabilities(
            List.of(probability(1, 0.1f), probability(2, 0.3f), probability(3, 0.6f)));

    assertEquals(Outcome.FINISHED, play("is it red?\nask-engine\n"));

    assertEquals(List.of(DialogueRole.ANSWER, DialogueRole.GUESS), roles());
    assertNull(engine.turns.get(1).getQuestion());
    String out = output();
    assertTrue(out.contains("The engine guesses green star (3): wrong"), out);
    assertTrue(out.contains("the object was blue square (2)"), out);
    assertTrue(out.indexOf("0.600") < out.indexOf("0.300"), "likeliest first: " + out);
    assertTrue(out.contains("0.600  green star (3)  <- guess"), out);
    assertTrue(out.contains("0.300  blue square (2)  <- target"), out);
  }

  @Test
  void anEvictedReplyStopsTheGameAndSendsNoMore() throws Exception {
    engine.then(ReplyStatus.EVICTED);

    assertEquals(Outcome.DROPPED, play("is it red?\nis it blue?\nquit\n"));

    assertEquals(1, engine.turns.size());
    assertTrue(output().contains("dropped game g1"), output());
  }

  @Test
  void theEndOfInputRevealsTheTargetAndEndsTheGame() throws Exception {
    engine.then(ReplyStatus.OK).setAnswer(OracleAnswer.NO);
    engine.then(ReplyStatus.ENDED);

    assertEquals(Outcome.FINISHED, play("is it red?\n"));

    assertEquals(List.of(DialogueRole.ANSWER, DialogueRole.END), roles());
    assertTrue(output().contains("The object was blue square (2)."), output());
  }

  @Test
  void blankLinesSendNothing() throws Exception {
    engine.then(ReplyStatus.OK).setAnswer(OracleAnswer.NO);
    engine.then(ReplyStatus.ENDED);

    play("\n   \nis it red?\n \nquit\n");

    assertEquals(List.of(DialogueRole.ANSWER, DialogueRole.END), roles());
  }

  @Test
  void aGameLeftBeforeAnyQuestionSendsNothingSinceTheEngineNeverHeardOfIt() throws Exception {
    assertEquals(Outcome.FINISHED, play("guess 1\n"));

    assertEquals(List.of(), engine.turns);
    assertTrue(output().contains("Wrong, it was blue square (2)."), output());
  }

  private static ObjectProbability probability(int objectId, float probability) {
    return ObjectProbability.newBuilder().setObjectId(objectId).setProbability(probability).build();
  }
}
