package streaminfer.family.began;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The engine draws the trainer's latents: values printed by exporters/began/latent.py. */
class LatentsTest {
  @Test
  void splitMixGivesTheReferenceSequenceForSeedZero() {
    long gamma = 0x9E3779B97F4A7C15L;
    assertEquals(0xE220A8397B1DCDAFL, Latents.mix(gamma));
    assertEquals(0x6E789E6AA1B965F4L, Latents.mix(2 * gamma));
  }

  @Test
  void drawsTheSameLatentAsTheTrainerForASeed() {
    assertArrayEquals(
        new float[] {
          0.7666215896606445f, -0.13694405555725098f, -0.9471324682235718f, 0.9417638778686523f
        },
        Latents.forSeed(0, 4));
  }

  @Test
  void treatsNegativeSeedsAsTheirTwosComplementLikeTheTrainer() {
    assertArrayEquals(
        new float[] {-0.15533161163330078f, -0.04272603988647461f, 0.8140028715133667f},
        Latents.forSeed(-7, 3));
  }
}
