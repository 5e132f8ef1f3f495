package streaminfer.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a model's warm-up batches on a freshly opened session, before it serves. */
final class Warmer {
  private static final Logger LOG = LoggerFactory.getLogger(Warmer.class);

  private Warmer() {}

  static WarmupReport warmUp(ModelSession session, Warmup warmup, String graphFile) {
    if (warmup.batches() == 0) {
      return WarmupReport.NONE;
    }
    ModelMetadata metadata = session.metadata();
    WarmupInputs.Rows inputs = WarmupInputs.of(metadata, session.directory(), graphFile);
    long start = System.nanoTime();
    for (int run = 0; run < warmup.runs(); run++) {
      for (int size : warmup.batchSizes()) {
        session.runRows(cycled(inputs.rows(), size));
      }
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    LOG.info(
        "{}/{}: warm-up ran {} batches (sizes {}, {} inputs) in {} ms",
        metadata.name(),
        metadata.version(),
        warmup.batches(),
        warmup.batchSizes(),
        inputs.source(),
        elapsed.toMillis());
    return new WarmupReport(warmup.batches(), inputs.source(), elapsed);
  }

  private static List<Map<String, Tensor>> cycled(List<Map<String, Tensor>> rows, int size) {
    List<Map<String, Tensor>> batch = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      batch.add(rows.get(i % rows.size()));
    }
    return batch;
  }
}
