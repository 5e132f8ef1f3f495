package streaminfer.family.maskrcnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The expected counts are torchvision 0.14's {@code paste_masks_in_image(masks, boxes, (20, 16),
 * padding=1) >= 0.5} on the same 4 x 4 mask and boxes, run-length encoded column-major.
 */
class MaskPasterTest {
  private static final float[] MASK = {
    0.1f, 0.6f, 0.9f, 0.2f, //
    0.7f, 0.95f, 0.8f, 0.4f, //
    0.3f, 0.55f, 0.65f, 0.1f, //
    0.0f, 0.2f, 0.5f, 0.49f
  };
  private static final MaskPaster PASTER = new MaskPaster(4, 1, 0.5f);

  @Test
  void pastesLikeTorchvisionInsideTheFrame() {
    assertArrayEquals(
        new int[] {84, 2, 18, 3, 16, 4, 16, 4, 16, 5, 15, 3, 134},
        PASTER.paste(MASK, 0, 3.3f, 2.7f, 11.8f, 9.1f, 20, 16));
  }

  @Test
  void clipsABoxThatStartsLeftOfTheFrame() {
    assertArrayEquals(
        new int[] {8, 6, 12, 9, 10, 11, 9, 13, 8, 7, 227},
        PASTER.paste(MASK, 0, -2.5f, 5.0f, 6.2f, 19.6f, 20, 16));
  }

  @Test
  void clipsABoxThatEndsPastTheFramesCorner() {
    assertArrayEquals(
        new int[] {216, 2, 17, 4, 15, 5, 14, 7, 13, 7, 13, 7},
        PASTER.paste(MASK, 0, 10.2f, 12.7f, 19.5f, 23.0f, 20, 16));
  }

  @Test
  void aBoxSmallerThanAPixelPastesNothingAboveTheThreshold() {
    assertArrayEquals(new int[] {320}, PASTER.paste(MASK, 0, 14.0f, 1.0f, 14.6f, 1.5f, 20, 16));
  }

  @Test
  void readsTheMaskAtItsIndexInTheBatchOfMasks() {
    float[] two = new float[32];
    System.arraycopy(MASK, 0, two, 16, 16);
    assertArrayEquals(
        PASTER.paste(MASK, 0, 3.3f, 2.7f, 11.8f, 9.1f, 20, 16),
        PASTER.paste(two, 1, 3.3f, 2.7f, 11.8f, 9.1f, 20, 16));
    assertEquals(320, Arrays.stream(PASTER.paste(two, 0, 3.3f, 2.7f, 11.8f, 9.1f, 20, 16)).sum());
  }
}
