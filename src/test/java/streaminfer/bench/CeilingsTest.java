package streaminfer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CeilingsTest {
  private static Map<String, Double> ceilings(double raw, double inProcess, double passThrough) {
    Map<String, Double> map = new LinkedHashMap<>();
    map.put("raw ORT", raw);
    map.put("in process", inProcess);
    map.put("Kafka pass-through", passThrough);
    return map;
  }

  @Test
  void theHeadlineIsTheEngineOverTheLowestCeiling() {
    Ceilings row = new Ceilings("ssd", ceilings(2800, 2000, 9000), 1800);

    assertEquals("in process", row.binding());
    assertEquals(2000, row.minimum());
    assertEquals(0.9, row.headline(), 1e-9);
  }

  @Test
  void printsARatioToEveryCeiling() {
    Ceilings row = new Ceilings("dgex", ceilings(30000, 12000, 6000), 5400);

    assertEquals(0.18, row.ratio("raw ORT"), 1e-9);
    assertEquals(0.45, row.ratio("in process"), 1e-9);
    assertEquals(0.9, row.ratio("Kafka pass-through"), 1e-9);
    assertEquals("Kafka pass-through", row.binding());
  }

  @Test
  void aTieBindsOnTheFirstCeilingListed() {
    assertEquals("raw ORT", new Ceilings("x", ceilings(10, 10, 20), 5).binding());
  }

  @Test
  void refusesACeilingThatIsNotAPositiveRate() {
    assertThrows(
        IllegalArgumentException.class, () -> new Ceilings("x", ceilings(10, Double.NaN, 20), 5));
    assertThrows(IllegalArgumentException.class, () -> new Ceilings("x", ceilings(10, 0, 20), 5));
    assertThrows(IllegalArgumentException.class, () -> new Ceilings("x", Map.of(), 5));
  }

  @Test
  void refusesARatioToACeilingItDoesNotHave() {
    Ceilings row = new Ceilings("x", ceilings(10, 10, 20), 5);
    assertThrows(IllegalArgumentException.class, () -> row.ratio("GPU"));
  }
}
