package streaminfer.runtime;

import java.nio.file.Path;
import java.util.OptionalInt;

/** The tiny graphs exporters/common/tiny_graphs.py writes, opened on the CPU. */
final class TinyModels {
  static final ModelRepository REPOSITORY =
      new ModelRepository(Path.of("src/test/resources/tiny-models"));

  private TinyModels() {}

  static ModelSession open(String name) {
    return open(name, Warmup.none());
  }

  static ModelSession open(String name, Warmup warmup) {
    return REPOSITORY.open(
        name, OptionalInt.empty(), DevicePolicy.CPU, SessionTuning.defaults(), warmup);
  }
}
