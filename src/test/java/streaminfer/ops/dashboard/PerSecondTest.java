package streaminfer.ops.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PerSecondTest {
  @Test
  void keepsAFixedWindowAndForgetsSecondsThatFellOutOfIt() {
    PerSecond series = new PerSecond(3);
    series.add(10, 1);
    series.add(10, 3);
    series.add(11, 5);
    series.add(14, 7); // reuses second 11's slot: 11 is out of the window [12, 15)

    assertEquals(List.of(0.0, 0.0, 1.0), series.counts(15));
    assertEquals(Arrays.asList(null, null, 2.0), series.counts(11), "nothing is known before 10");
    assertEquals(Arrays.asList(null, null, 7.0), series.means(15));
    assertEquals(
        Arrays.asList(null, 2.0, 0.0), series.counts(12), "second 11 was overwritten by 14");
    assertEquals(Arrays.asList(null, 2.0, null), series.means(12));
  }
}
