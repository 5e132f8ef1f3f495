package streaminfer.family.frames;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import streaminfer.family.StaleInputException;
import streaminfer.v1.Frame;

/**
 * Live mode of a frame pipeline: a frame captured longer ago than {@code maxAge} is skipped before
 * it is decoded, and one that reaches that age waiting for its batch is not run ({@link #staleAt}),
 * so a stream that fell behind catches up instead of queueing ever longer. No {@code maxAge}: every
 * frame is served (recorded streams).
 */
public record LiveMode(Optional<Duration> maxAge, Clock clock) {
  /** When the frame becomes too old to serve; empty without live mode. */
  public Optional<Instant> staleAt(Frame frame) {
    return maxAge.map(
        age -> Instant.EPOCH.plus(frame.getCaptureTimeMicros(), ChronoUnit.MICROS).plus(age));
  }

  /** Throws {@link StaleInputException} for a frame too old to serve. */
  public void check(Frame frame) {
    if (maxAge.isEmpty()) {
      return;
    }
    long ageMicros = clock.millis() * 1000 - frame.getCaptureTimeMicros();
    if (ageMicros > maxAge.get().toNanos() / 1000) {
      throw new StaleInputException(
          "frame "
              + frame.getStreamId()
              + "#"
              + frame.getSeq()
              + " is "
              + ageMicros / 1000
              + " ms old");
    }
  }
}
