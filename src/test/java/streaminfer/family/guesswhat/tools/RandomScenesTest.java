package streaminfer.family.guesswhat.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import streaminfer.v1.SceneObject;

class RandomScenesTest {
  @Test
  void theSameSeedGivesTheSameScenes() {
    RandomScenes first = new RandomScenes(42);
    RandomScenes second = new RandomScenes(42);

    assertEquals(first.next(8), second.next(8));
    assertEquals(first.next(20), second.next(20));
  }

  @Test
  void anotherSeedGivesAnotherScene() {
    assertNotEquals(new RandomScenes(1).next(8), new RandomScenes(2).next(8));
  }

  @Test
  void everySceneHasTheAskedSizeIdsOneToNAndKnownCategoriesAndColours() {
    RandomScenes scenes = new RandomScenes(7);
    for (int size = RandomScenes.MIN_OBJECTS; size <= RandomScenes.MAX_OBJECTS; size++) {
      for (int round = 0; round < 50; round++) {
        List<SceneObject> scene = scenes.next(size);

        assertEquals(
            IntStream.rangeClosed(1, size).boxed().toList(),
            scene.stream().map(SceneObject::getObjectId).toList());
        for (SceneObject object : scene) {
          assertTrue(RandomScenes.CATEGORIES.contains(object.getCategory()), object.toString());
          assertTrue(RandomScenes.COLOURS.contains(object.getColour()), object.toString());
        }
      }
    }
  }

  @Test
  void everyBoxLiesInsideTheImageAndHasRoomInBothDirections() {
    RandomScenes scenes = new RandomScenes(11);
    for (int round = 0; round < 2000; round++) {
      for (SceneObject o : scenes.next(RandomScenes.MAX_OBJECTS)) {
        assertTrue(o.getXMin() >= 0 && o.getYMin() >= 0, o.toString());
        assertTrue(o.getXMax() <= 1 && o.getYMax() <= 1, o.toString());
        assertTrue(o.getXMax() - o.getXMin() >= 0.049f, o.toString());
        assertTrue(o.getYMax() - o.getYMin() >= 0.049f, o.toString());
      }
    }
  }

  @Test
  void scenesOutsideThreeToTwentyObjectsAreRefused() {
    RandomScenes scenes = new RandomScenes(3);

    assertThrows(IllegalArgumentException.class, () -> scenes.next(2));
    assertThrows(IllegalArgumentException.class, () -> scenes.next(21));
  }
}
