package streaminfer.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import streaminfer.runtime.ModelSession;
import streaminfer.runtime.Tensor;

/** The compute ceiling: a session run back to back on one prepared batch, no Kafka, no queues. */
public final class RawOrt {
  private RawOrt() {}

  /**
   * Runs batches of {@code batch} rows for about {@code seconds} after three warm-up runs.
   *
   * @param row the model input row number {@code i}
   */
  public static Throughput measure(
      ModelSession session, int batch, double seconds, IntFunction<Map<String, Tensor>> row) {
    List<Map<String, Tensor>> rows = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      rows.add(row.apply(i));
    }
    for (int warmup = 0; warmup < 3; warmup++) {
      session.runRows(rows);
    }
    long cpu = Throughput.processCpuNanos();
    long start = System.nanoTime();
    long budget = (long) (seconds * 1e9);
    long done = 0;
    while (System.nanoTime() - start < budget) {
      session.runRows(rows);
      done += batch;
    }
    return new Throughput(
        "raw ORT, batch " + batch,
        done,
        (System.nanoTime() - start) / 1e9,
        (Throughput.processCpuNanos() - cpu) / 1e9);
  }
}
