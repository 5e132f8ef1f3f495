package streaminfer.family.began;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import streaminfer.family.InvalidInputException;
import streaminfer.v1.GenerationRequest;

class ImagePlanTest {
  private static final int DIM = 4;

  private static GenerationRequest.Builder request(int count) {
    return GenerationRequest.newBuilder().setRequestId("r-1").setCount(count);
  }

  @Test
  void drawsImageIFromSeedPlusIAndReportsThatSeed() {
    ImagePlan plan = ImagePlan.of(request(3).setSeed(41L).build(), DIM, 8);
    assertEquals(List.of(41L, 42L, 43L), plan.seeds());
    assertArrayEquals(Latents.forSeed(43, DIM), plan.latents().get(2));
  }

  @Test
  void picksTheSameSeedForTheSameRequestIdWhenTheRequestHasNone() {
    ImagePlan first = ImagePlan.of(request(2).build(), DIM, 8);
    ImagePlan again = ImagePlan.of(request(2).build(), DIM, 8);
    assertEquals(first.seeds(), again.seeds());
    assertEquals(first.seeds().get(0) + 1, first.seeds().get(1));
  }

  @Test
  void takesExplicitLatentsInOrderAndReportsNoSeed() {
    List<Float> floats = new ArrayList<>();
    for (int i = 0; i < 2 * DIM; i++) {
      floats.add(i / 10f);
    }
    ImagePlan plan = ImagePlan.of(request(2).setSeed(5L).setLatent(floats).build(), DIM, 8);
    assertArrayEquals(new float[] {0.4f, 0.5f, 0.6f, 0.7f}, plan.latents().get(1));
    assertNull(plan.seeds().get(0));
  }

  @Test
  void refusesCountsOutsideOneToTheLimitNamingTheSetting() {
    for (int count : new int[] {0, -1, 9}) {
      InvalidInputException refused =
          assertThrows(
              InvalidInputException.class, () -> ImagePlan.of(request(count).build(), DIM, 8));
      assertTrue(refused.getMessage().contains("maxImagesPerRequest"), refused.getMessage());
    }
  }

  @Test
  void refusesALatentOfAnotherSizeThanCountTimesTheModelsLatentSize() {
    GenerationRequest request =
        request(2).setLatent(new ArrayList<>(Collections.nCopies(2 * DIM + 1, 0f))).build();
    InvalidInputException refused =
        assertThrows(InvalidInputException.class, () -> ImagePlan.of(request, DIM, 8));
    assertTrue(refused.getMessage().contains("9 floats"), refused.getMessage());
  }

  @Test
  void refusesNonFiniteLatentValues() {
    List<Float> floats = new ArrayList<>(Collections.nCopies(DIM, 0f));
    floats.set(2, Float.NaN);
    assertThrows(
        InvalidInputException.class,
        () -> ImagePlan.of(request(1).setLatent(floats).build(), DIM, 8));
  }
}
