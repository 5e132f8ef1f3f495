package streaminfer.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Warm-up batches run while the model loads, before the session is handed out to serve. */
class WarmupTest {
  @Test
  void runsEveryWarmupBatchBeforeTheFirstRequest() {
    try (ModelSession session = TinyModels.open("typed", new Warmup(2, List.of(1, 3)))) {
      assertEquals(4, session.warmup().batches());
      assertEquals("golden.json", session.warmup().inputs());
    }
  }

  @Test
  void warmsUpOnOnesOfTheDeclaredShapesWhenThereIsNoGoldenFile() {
    for (String name : List.of("padded", "indexed", "unbatched")) {
      try (ModelSession session = TinyModels.open(name, new Warmup(1, List.of(1, 2)))) {
        assertEquals(2, session.warmup().batches(), name);
        assertEquals(WarmupInputs.ONES, session.warmup().inputs(), name);
      }
    }
  }

  @Test
  void readsEveryGoldenFormTheShippedModelsUse() {
    ModelRepository shipped = new ModelRepository(Path.of("models"));
    for (String name : List.of("dgex", "ssd", "guesswhat-oracle", "guesswhat-qgen")) {
      try (ModelSession session =
          shipped.open(
              name,
              OptionalInt.empty(),
              DevicePolicy.CPU,
              SessionTuning.defaults(),
              new Warmup(1, List.of(2)))) {
        assertEquals("golden.json", session.warmup().inputs(), name);
      }
    }
  }

  @Test
  void noWarmupRunsNothing() {
    try (ModelSession session = TinyModels.open("typed")) {
      assertEquals(WarmupReport.NONE, session.warmup());
    }
  }

  @Test
  void refusesAWarmupThatRunsBatchesOfNoSize() {
    assertThrows(IllegalArgumentException.class, () -> new Warmup(1, List.of()));
    assertThrows(IllegalArgumentException.class, () -> new Warmup(1, List.of(0)));
    assertThrows(IllegalArgumentException.class, () -> new Warmup(-1, List.of(1)));
  }
}
