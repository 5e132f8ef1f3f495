package streaminfer.family.guesswhat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import streaminfer.runtime.ModelMetadata;
import streaminfer.v1.OracleAnswer;
import streaminfer.v1.SceneObject;

class GameSpecTest {
  private final GameSpec spec =
      GameSpec.fromMetadata(ModelMetadata.read(Path.of("models/guesswhat-qgen/1/model.json")));

  private List<Integer> ids(int[] tokens) {
    return Arrays.stream(tokens).boxed().toList();
  }

  @Test
  void tokenizesAQuestionLowerCasedEndingInOneQuestionMark() {
    assertEquals("is it a circle ?", spec.text(ids(spec.question("Is it a CIRCLE?"))));
    assertEquals("is it red ?", spec.text(ids(spec.question("  is   it red ? ?"))));
  }

  @Test
  void dropsWordsOutsideTheVocabularyAndSpecialTokens() {
    assertEquals("is it blue ?", spec.text(ids(spec.question("is it <yes> really blue"))));
  }

  @Test
  void refusesAQuestionWithNoKnownWord() {
    InvalidTurnException error =
        assertThrows(InvalidTurnException.class, () -> spec.question("which colour, please?"));
    assertTrue(error.getMessage().contains("no word in the model's vocabulary"));
  }

  @Test
  void cutsALongQuestionToTheModelsQuestionLength() {
    int[] question = spec.question("is it is it is it is it is it red");
    assertEquals(spec.maxQuestionTokens(), question.length);
    assertEquals(spec.questionMark(), question[question.length - 1]);
  }

  @Test
  void mapsAnswersToTheirTokensAndBack() {
    for (OracleAnswer answer : OracleAnswer.values()) {
      assertEquals(answer, spec.answerOf(spec.answerToken(answer)));
    }
    assertEquals(null, spec.answerOf(spec.questionMark()));
  }

  @Test
  void encodesASceneAsOneHotAttributesAndSpatialFeatures() {
    Scene scene =
        Scene.of(List.of(new SceneObject(7, "square", "blue", 0.1f, 0.2f, 0.5f, 0.6f)), spec);
    int width = spec.objectFeatures();
    assertEquals(spec.maxObjects() * width, scene.features().length);
    assertEquals(1f, scene.features()[spec.categories().indexOf("square")]);
    assertEquals(1f, scene.features()[spec.categories().size() + spec.colours().indexOf("blue")]);
    float[] spatial = Arrays.copyOfRange(scene.features(), width - 8, width);
    float[] expected = {0.1f, 0.2f, 0.5f, 0.6f, 0.3f, 0.4f, 0.4f, 0.4f};
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], spatial[i], 1e-6f);
    }
    assertEquals(1f, scene.mask()[0]);
    assertEquals(0f, scene.mask()[1]);
    assertEquals(0, scene.indexOf(7));
  }

  @Test
  void refusesScenesTheModelsCannotTake() {
    List<SceneObject> tooMany = new java.util.ArrayList<>();
    for (int i = 0; i <= spec.maxObjects(); i++) {
      tooMany.add(new SceneObject(i, "circle", "red", 0f, 0f, 0.1f, 0.1f));
    }
    assertThrows(InvalidTurnException.class, () -> Scene.of(tooMany, spec));
    assertThrows(
        InvalidTurnException.class,
        () -> Scene.of(List.of(new SceneObject(1, "dog", "red", 0f, 0f, 0.1f, 0.1f)), spec));
    assertThrows(
        InvalidTurnException.class,
        () -> Scene.of(List.of(new SceneObject(1, "circle", "red", 0.5f, 0f, 0.1f, 0.1f)), spec));
    SceneObject one = new SceneObject(1, "circle", "red", 0f, 0f, 0.1f, 0.1f);
    assertThrows(InvalidTurnException.class, () -> Scene.of(List.of(one, one), spec));
  }
}
