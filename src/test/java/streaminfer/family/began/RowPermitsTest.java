package streaminfer.family.began;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RowPermitsTest {
  @Test
  void grantsAtOnceWhileRowsAreFreeAndMakesTheNextRequestWaitForARelease() {
    RowPermits permits = new RowPermits(10);
    assertTrue(permits.acquire(6).isDone());
    CompletableFuture<Void> second = permits.acquire(6);
    assertFalse(second.isDone());
    permits.release(6);
    assertTrue(second.isDone());
  }

  @Test
  void servesWaitersInArrivalOrderSoASmallRequestCannotStarveALargeOne() {
    RowPermits permits = new RowPermits(10);
    permits.acquire(8);
    CompletableFuture<Void> large = permits.acquire(9);
    CompletableFuture<Void> small = permits.acquire(1);
    assertFalse(small.isDone(), "one row is free, but the large request came first");
    permits.release(8);
    assertTrue(large.isDone());
    assertTrue(small.isDone());
  }

  @Test
  void refusesMoreRowsThanItWillEverHave() {
    RowPermits permits = new RowPermits(4);
    assertThrows(IllegalArgumentException.class, () -> permits.acquire(5));
    assertThrows(IllegalArgumentException.class, () -> permits.acquire(0));
  }
}
