package streaminfer.stream;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import streaminfer.stream.state.KeyValueStore;

/**
 * The stream tests' stateful processor: counts each key's records in {@code counts} and outputs the
 * count to {@code out} once the store's write is acknowledged (and then {@code delay} has passed,
 * so that records stay in flight a while).
 */
record CountingProcessor(KeyValueStore<byte[]> counts, Duration delay) implements RecordProcessor {
  @Override
  public CompletionStage<List<Output>> process(int partition, String key, byte[] value) {
    byte[] previous = counts.get(partition, key);
    int count =
        previous == null ? 1 : Integer.parseInt(new String(previous, StandardCharsets.UTF_8)) + 1;
    byte[] encoded = Integer.toString(count).getBytes(StandardCharsets.UTF_8);
    CompletionStage<Void> written = counts.put(partition, key, encoded);
    if (delay.isZero()) {
      return written.thenApply(done -> Output.one("out", encoded));
    }
    return written.thenCompose(
        done ->
            CompletableFuture.supplyAsync(
                () -> Output.one("out", encoded),
                CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS)));
  }
}
