package streaminfer.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;
import streaminfer.runtime.InferenceException;

class MicroBatcherTest {
  private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
  private final List<List<Integer>> batches = new CopyOnWriteArrayList<>();
  private MicroBatcher<Integer, Integer> batcher;

  @AfterEach
  void dispose() {
    batcher.dispose();
    time.dispose();
  }

  private MicroBatcher<Integer, Integer> batcher(int maxSize, long delayMillis, int capacity) {
    // Batches run on the calling thread (immediate), so the virtual clock alone drives the test.
    batcher =
        new MicroBatcher<>(
            new BatchConfig(maxSize, delayMillis, capacity, 1),
            requests -> {
              batches.add(List.copyOf(requests));
              if (requests.contains(-1)) {
                throw new IllegalArgumentException("negative request");
              }
              if (requests.contains(-2)) {
                throw new AssertionError("the graph broke an invariant");
              }
              if (requests.contains(-3)) {
                throw new StackOverflowError();
              }
              return requests.stream().map(r -> r * 10).toList();
            },
            BatchListener.NONE,
            time,
            Schedulers.immediate());
    return batcher;
  }

  @Test
  void aRequestWhoseDeadlinePassedWhileItWaitedIsNotRunAndTheOthersOfItsBatchAre()
      throws Exception {
    batcher(3, 50, 16);
    CompletableFuture<Integer> expired = batcher.submit(1, java.time.Instant.EPOCH);
    CompletableFuture<Integer> live = batcher.submit(2, java.time.Instant.MAX);
    CompletableFuture<Integer> undated = batcher.submit(3);
    assertEquals(List.of(List.of(2, 3)), batches, "the expired request is left out");
    assertEquals(20, live.get());
    assertEquals(30, undated.get());
    java.util.concurrent.ExecutionException failure =
        assertThrows(java.util.concurrent.ExecutionException.class, expired::get);
    assertTrue(failure.getCause() instanceof ExpiredRequestException, failure.toString());
    assertEquals(0, batcher.outstanding(), "every slot is freed");
  }

  @Test
  void runsAFullBatchAtOnceWithoutWaitingForTheDelay() throws Exception {
    batcher(4, 50, 16);
    List<CompletableFuture<Integer>> results = submitAll(1, 2, 3, 4);
    assertEquals(List.of(List.of(1, 2, 3, 4)), batches);
    assertEquals(List.of(10, 20, 30, 40), join(results));
  }

  @Test
  void holdsAPartialBatchUntilTheDelayPasses() throws Exception {
    batcher(4, 50, 16);
    List<CompletableFuture<Integer>> results = submitAll(1, 2, 3);
    time.advanceTimeBy(Duration.ofMillis(49));
    assertTrue(batches.isEmpty(), "a partial batch ran before its delay");
    time.advanceTimeBy(Duration.ofMillis(1));
    assertEquals(List.of(List.of(1, 2, 3)), batches);
    assertEquals(List.of(10, 20, 30), join(results));
  }

  @Test
  void splitsAnOverfullArrivalIntoAFullBatchAndADelayedRemainder() {
    batcher(4, 50, 16);
    submitAll(1, 2, 3, 4, 5, 6);
    assertEquals(List.of(List.of(1, 2, 3, 4)), batches);
    time.advanceTimeBy(Duration.ofMillis(50));
    assertEquals(List.of(List.of(1, 2, 3, 4), List.of(5, 6)), batches);
  }

  @Test
  void failsOnlyTheRequestThatFailsAloneWhenABatchFails() throws Exception {
    batcher(3, 50, 16);
    List<CompletableFuture<Integer>> results = submitAll(1, -1, 3);
    assertEquals(10, results.get(0).get());
    ExecutionException failure =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class, () -> results.get(1).get());
    assertInstanceOf(IllegalArgumentException.class, failure.getCause());
    assertEquals(30, results.get(2).get());
  }

  @Test
  void failsEveryRowOfABatchWhoseFunctionThrowsAnErrorAndKeepsServingLaterBatches()
      throws Exception {
    batcher(3, 50, 16);
    List<CompletableFuture<Integer>> failed = submitAll(1, -2, 3);

    for (CompletableFuture<Integer> result : failed) {
      assertTrue(result.isCompletedExceptionally(), "a row of the failed batch never completed");
      ExecutionException failure =
          org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, result::get);
      InferenceException reason = assertInstanceOf(InferenceException.class, failure.getCause());
      assertInstanceOf(AssertionError.class, reason.getCause());
      assertTrue(
          reason.getMessage().startsWith("batch failed: java.lang.AssertionError: the graph broke"),
          reason.getMessage());
    }
    // An Error is not a bad row: the batch is not retried row by row.
    assertEquals(List.of(List.of(1, -2, 3)), batches);
    assertEquals(0, batcher.outstanding());

    assertEquals(List.of(40, 50, 60), join(submitAll(4, 5, 6)));
  }

  @Test
  void survivesAStackOverflowInAPartialBatchAndKeepsServing() throws Exception {
    batcher(4, 50, 16);
    List<CompletableFuture<Integer>> failed = submitAll(-3, 7);
    time.advanceTimeBy(Duration.ofMillis(50));

    for (CompletableFuture<Integer> result : failed) {
      ExecutionException failure =
          org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, result::get);
      assertInstanceOf(StackOverflowError.class, failure.getCause().getCause());
    }
    assertEquals(0, batcher.outstanding());

    List<CompletableFuture<Integer>> later = submitAll(8);
    time.advanceTimeBy(Duration.ofMillis(50));
    assertEquals(List.of(80), join(later));
  }

  @Test
  void refusesRequestsBeyondItsCapacityWithANamedException() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch running = new CountDownLatch(1);
    batcher =
        new MicroBatcher<>(
            new BatchConfig(2, 50, 4, 1),
            requests -> {
              running.countDown();
              awaitQuietly(release);
              return requests;
            },
            BatchListener.NONE,
            time,
            Schedulers.single());
    List<CompletableFuture<Integer>> accepted = submitAll(1, 2);
    running.await();
    accepted.addAll(submitAll(3, 4));
    CompletableFuture<Integer> refused = batcher.submit(5);
    ExecutionException failure =
        org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, refused::get);
    assertInstanceOf(QueueFullException.class, failure.getCause());
    release.countDown();
    assertEquals(List.of(1, 2, 3, 4), join(accepted));
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void countsQueuedRequestsAgainstTheCapacity() {
    batcher(8, 50, 8);
    submitAll(1, 2, 3, 4, 5, 6, 7);
    assertEquals(7, batcher.outstanding());
    CompletableFuture<Integer> eighth = batcher.submit(8);
    assertTrue(eighth.isDone(), "the eighth request completes a full batch");
    assertEquals(0, batcher.outstanding());
  }

  @Test
  void aRequestsSlotIsFreeWhenItsContinuationsRunSoTheyCanSubmitAtFullCapacity() {
    batcher(2, 50, 2);
    CompletableFuture<Integer> first = batcher.submit(1);
    CompletableFuture<CompletableFuture<Integer>> resubmitted =
        first.thenApply(done -> batcher.submit(3));
    batcher.submit(2);
    assertEquals(10, first.join());
    assertTrue(!resubmitted.join().isCompletedExceptionally(), "the slot was still counted");
    time.advanceTimeBy(java.time.Duration.ofMillis(50));
    assertEquals(30, resubmitted.join().join());
  }

  private List<CompletableFuture<Integer>> submitAll(int... requests) {
    List<CompletableFuture<Integer>> results = new ArrayList<>();
    for (int request : requests) {
      results.add(batcher.submit(request));
    }
    return results;
  }

  private static List<Integer> join(List<CompletableFuture<Integer>> results) throws Exception {
    List<Integer> values = new ArrayList<>();
    for (CompletableFuture<Integer> result : results) {
      values.add(result.get());
    }
    return values;
  }
}
