package streaminfer.family.guesswhat.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import streaminfer.v1.SceneObject;

class SceneTableTest {
  private static SceneObject box(float x0, float y0, float x1, float y1) {
    return SceneObject.newBuilder()
        .setObjectId(4)
        .setCategory("cross")
        .setColour("purple")
        .setXMin(x0)
        .setYMin(y0)
        .setXMax(x1)
        .setYMax(y1)
        .build();
  }

  @Test
  void positionNamesTheSidesOfTheCentreWithTheTopOrBottomFirst() {
    assertEquals("top-left", SceneTable.position(box(0.1f, 0.1f, 0.2f, 0.2f)));
    assertEquals("bottom-right", SceneTable.position(box(0.7f, 0.8f, 0.9f, 0.9f)));
    assertEquals("top-right", SceneTable.position(box(0.7f, 0.0f, 0.9f, 0.1f)));
  }

  @Test
  void aCentreNearAMiddleLineHasNoSideThereAsTheOracleThenAnswersNa() {
    assertEquals("left", SceneTable.position(box(0.1f, 0.4f, 0.2f, 0.6f)));
    assertEquals("bottom", SceneTable.position(box(0.42f, 0.8f, 0.6f, 0.9f)));
    assertEquals("middle", SceneTable.position(box(0.45f, 0.45f, 0.55f, 0.55f)));
  }

  @Test
  void theTableHasOneRowPerObjectWithItsIdCategoryColourBoxAndPosition() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();

    SceneTable.print(
        new PrintStream(printed, true, StandardCharsets.UTF_8), TestScenes.threeShapes());

    String[] lines = printed.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(4, lines.length);
    assertTrue(
        lines[1].matches("\\s+1\\s+circle\\s+red\\s+0.10 0.10 0.20 0.20\\s+top-left"), lines[1]);
    assertTrue(lines[3].strip().endsWith("middle"), lines[3]);
  }
}
