package streaminfer.family.guesswhat.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import streaminfer.v1.DialogueRole;
import streaminfer.v1.DialogueTurn;
import streaminfer.v1.OracleAnswer;
import streaminfer.v1.QuestionAnswer;
import streaminfer.v1.ReplyStatus;

class OracleConsoleTest {
  private static final int TARGET = 1;

  private final ScriptedEngine engine = new ScriptedEngine();
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

  private Outcome play(String typed) throws Exception {
    GameTurns game = new GameTurns(engine, "g1", TestScenes.threeShapes());
    BufferedReader in = new BufferedReader(new StringReader(typed));
    PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    return new OracleConsole(game, TARGET, in, out).play();
  }

  private String output() {
    return printed.toString(StandardCharsets.UTF_8);
  }

  private List<OracleAnswer> answers() {
    return engine.turns.stream().map(DialogueTurn::getAnswer).toList();
  }

  private void asks(String question) {
    engine.then(ReplyStatus.OK).setQuestion(question);
  }

  @Test
  void theFirstAskCarriesTheSceneAndNoAnswerAndEachLaterAskCarriesTheLastAnswer() throws Exception {
    asks("is it red?");
    asks("is it on the left?");
    engine.then(ReplyStatus.ENDED).setGuessedObjectId(1);

    assertEquals(Outcome.FINISHED, play("y\nno\n"));

    assertEquals(3, engine.turns.size());
    for (int i = 0; i < 3; i++) {
      DialogueTurn turn = engine.turns.get(i);
      assertEquals(i, turn.getSeq());
      assertEquals(DialogueRole.ASK, turn.getRole());
      assertNull(turn.getTargetObjectId(), "the engine must not be told the target");
      assertEquals(i == 0 ? TestScenes.threeShapes() : null, turn.getScene());
    }
    assertEquals(Arrays.asList(null, OracleAnswer.YES, OracleAnswer.NO), answers());
    assertTrue(output().contains("The engine asks: is it red?"), output());
    assertTrue(output().contains("The engine asks: is it on the left?"), output());
  }

  @Test
  void aRightGuessIsCalledRight() throws Exception {
    asks("is it red?");
    engine.then(ReplyStatus.ENDED).setGuessedObjectId(1);

    play("y\n");

    assertTrue(output().contains("The engine guesses red circle (1): right!"), output());
  }

  @Test
  void aWrongGuessNamesTheTargetAndShowsTheDialogueTheEngineRecorded() throws Exception {
    asks("is it red?");
    engine
        .then(ReplyStatus.ENDED)
        .setGuessedObjectId(2)
        .setDialogue(
            List.of(
                QuestionAnswer.newBuilder()
                    .setQuestion("is it red ?")
                    .setAnswer(OracleAnswer.NO)
                    .build()));

    play("n\n");

    assertTrue(output().contains("  is it red ? no"), output());
    assertTrue(
        output().contains("guesses blue square (2): wrong, the object was red circle (1)."),
        output());
  }

  @Test
  void somethingOtherThanAnAnswerAsksAgainWithoutSending() throws Exception {
    asks("is it red?");
    engine.then(ReplyStatus.ENDED).setGuessedObjectId(1);

    play("maybe\n\nyes\n");

    assertEquals(2, engine.turns.size());
    assertEquals(OracleAnswer.YES, engine.turns.get(1).getAnswer());
    assertEquals(2, output().split("Please answer y, n or na", -1).length - 1, output());
  }

  @Test
  void anErrorAfterAQuestionIsShownAndThatQuestionIsAskedAgainUnderTheNextSeq() throws Exception {
    asks("is it red?");
    engine.then(ReplyStatus.ERROR).setError("questioner failed");
    engine.then(ReplyStatus.ENDED).setGuessedObjectId(1);

    assertEquals(Outcome.FINISHED, play("y\nn/a\n"));

    assertEquals(List.of(0L, 1L, 2L), engine.turns.stream().map(DialogueTurn::getSeq).toList());
    assertEquals(Arrays.asList(null, OracleAnswer.YES, OracleAnswer.NA), answers());
    assertTrue(output().contains("The engine refused that turn: questioner failed"), output());
    assertEquals(2, output().split("The engine asks: is it red\\?", -1).length - 1, output());
  }

  @Test
  void anErrorOnTheFirstTurnDropsTheGame() throws Exception {
    engine.then(ReplyStatus.ERROR).setError("scene has no objects");

    assertEquals(Outcome.DROPPED, play("y\n"));

    assertEquals(1, engine.turns.size());
    assertTrue(output().contains("scene has no objects"), output());
  }

  @Test
  void anEvictedReplyStopsTheGame() throws Exception {
    asks("is it red?");
    engine.then(ReplyStatus.EVICTED);

    assertEquals(Outcome.DROPPED, play("y\ny\n"));

    assertEquals(2, engine.turns.size());
    assertTrue(output().contains("dropped game g1"), output());
  }

  @Test
  void quitSendsEnd() throws Exception {
    asks("is it red?");
    engine.then(ReplyStatus.ENDED);

    assertEquals(Outcome.FINISHED, play("quit\n"));

    assertEquals(
        List.of(DialogueRole.ASK, DialogueRole.END),
        engine.turns.stream().map(DialogueTurn::getRole).toList());
    assertEquals(1L, engine.turns.get(1).getSeq());
  }
}
