package streaminfer.ops.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import streaminfer.family.Drawable;

class PipelineViewTest {
  private static final long START = 1_800_000_000_000L;
  private final SteppedClock clock = new SteppedClock(START);
  private final AtomicBoolean watching = new AtomicBoolean(true);

  private PipelineView view(int picturesPerSecond, int maxStreams) {
    return new PipelineView("cams", watching::get, clock, picturesPerSecond, maxStreams);
  }

  @Test
  void isWatchedOnlyWhileABrowserIsConnected() {
    PipelineView view = view(4, 16);
    assertTrue(view.watched());
    watching.set(false);
    assertFalse(view.watched());
  }

  @Test
  void drawsAtMostThePicturesPerSecondOfEachStreamWhateverItsFrameRate() {
    PipelineView view = view(4, 16);
    int drawnA = 0;
    int drawnB = 0;
    // Two 60 fps streams for 3 seconds.
    for (int i = 0; i < 180; i++) {
      if (view.served(Pictures.moment("a", i, clock.millis()))) {
        drawnA++;
      }
      if (view.served(Pictures.moment("b", i, clock.millis()))) {
        drawnB++;
      }
      clock.advanceMillis(1000 / 60);
    }
    assertTrue(drawnA >= 11 && drawnA <= 12, "stream a drew " + drawnA + " of 180");
    assertEquals(drawnA, drawnB, "each stream has its own budget");
  }

  @Test
  void followsAtMostMaxStreamsAndMakesRoomForANewOneWhenOneFallsIdle() {
    PipelineView view = view(4, 2);
    assertTrue(view.served(Pictures.moment("a", 0, clock.millis())));
    assertTrue(view.served(Pictures.moment("b", 0, clock.millis())));
    assertFalse(view.served(Pictures.moment("c", 0, clock.millis())), "a third stream waits");
    assertEquals(List.of("a", "b"), view.streams().stream().map(StreamWatch::stream).toList());

    clock.advanceMillis(PipelineView.IDLE_MILLIS / 2);
    view.served(Pictures.moment("b", 1, clock.millis()));
    clock.advanceMillis(PipelineView.IDLE_MILLIS / 2 + 1);
    view.forgetIdle();

    assertEquals(List.of("b"), view.streams().stream().map(StreamWatch::stream).toList());
    assertTrue(view.served(Pictures.moment("c", 1, clock.millis())));
  }

  @Test
  void keepsOnlyTheLatestCaptureOfAStreamWhenBatchesFinishOutOfOrder() {
    PipelineView view = view(30, 4);
    Drawable.Moment newer = Pictures.moment("a", 2, clock.millis());
    Drawable.Moment older = Pictures.moment("a", 1, clock.millis() - 40);
    view.served(newer);
    view.show(Pictures.of(newer));
    view.show(Pictures.of(older));

    StreamWatch.Shown shown = view.streams().get(0).latest().orElseThrow();
    assertEquals(2, shown.picture().moment().seq());
    assertEquals(1, shown.version());
  }

  @Test
  void hasEachPictureSentOnceAndOnlyTheLatestOfThoseShownBetweenTwoSends() {
    PipelineView view = view(30, 4);
    for (int seq = 0; seq < 3; seq++) {
      Drawable.Moment moment = Pictures.moment("a", seq, clock.millis());
      view.served(moment);
      view.show(Pictures.of(moment));
      clock.advanceMillis(40);
    }
    StreamWatch watch = view.streams().get(0);

    assertEquals(2, watch.unsent().orElseThrow().picture().moment().seq());
    assertTrue(watch.unsent().isEmpty(), "sent already");
  }

  @Test
  void countsAnswersAndMeanLatencyOfEachSecondForTheSparklines() {
    PipelineView view = view(4, 4);
    for (int i = 0; i < 10; i++) {
      // Captured 50 ms before it is answered.
      view.served(Pictures.moment("a", i, clock.millis() - 50));
      clock.advanceMillis(100);
    }
    StreamWatch.Snapshot snapshot = view.streams().get(0).snapshot(clock.millis());

    int seconds = PipelineView.HISTORY_SECONDS;
    assertEquals(seconds, snapshot.answersPerSecond().size());
    assertEquals(
        10.0,
        snapshot.answersPerSecond().stream()
            .filter(value -> value != null)
            .mapToDouble(Double::doubleValue)
            .sum(),
        1e-9);
    assertTrue(
        snapshot.latencyMillis().stream()
            .filter(value -> value != null)
            .allMatch(value -> Math.abs(value - 50) < 1e-6),
        snapshot.latencyMillis().toString());
    assertEquals(null, snapshot.latencyMillis().get(0), "no answers a minute ago");
  }
}
