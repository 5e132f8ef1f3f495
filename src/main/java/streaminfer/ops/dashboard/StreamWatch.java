package streaminfer.ops.dashboard;

import java.util.List;
import java.util.Optional;
import streaminfer.family.Drawable;

/**
 * One stream of one pipeline as the dashboard follows it: answers and latency per second, the
 * sampling gate for its pictures and the latest picture (only one is kept).
 *
 * <p>Thread-safe: inference workers count and show, the ops event loop reads.
 */
final class StreamWatch {
  private final String stream;
  private final long pictureIntervalMillis;
  private final PerSecond answers;
  private final PerSecond latencyMillis;
  private long lastPictureMillis = Long.MIN_VALUE / 2;
  private long lastSeenMillis;
  private Drawable.Picture latest;
  private long version;
  private long sentVersion;

  /** A stream's sparklines. */
  record Snapshot(String stream, List<Double> answersPerSecond, List<Double> latencyMillis) {}

  /** The latest picture and its version: a newer picture has a higher one. */
  record Shown(Drawable.Picture picture, long version) {}

  StreamWatch(String stream, long pictureIntervalMillis, int historySeconds, long nowMillis) {
    this.stream = stream;
    this.pictureIntervalMillis = pictureIntervalMillis;
    this.answers = new PerSecond(historySeconds);
    this.latencyMillis = new PerSecond(historySeconds);
    this.lastSeenMillis = nowMillis;
  }

  /** Counts one answer; true when its picture is due (the last one is an interval old). */
  synchronized boolean served(long nowMillis, Drawable.Moment moment) {
    lastSeenMillis = nowMillis;
    long second = Math.floorDiv(nowMillis, 1000L);
    answers.add(second, 1);
    double latency = nowMillis - moment.capturedAtMicros() / 1000.0;
    if (latency >= 0) {
      latencyMillis.add(second, latency);
    }
    if (nowMillis - lastPictureMillis < pictureIntervalMillis) {
      return false;
    }
    lastPictureMillis = nowMillis;
    return true;
  }

  /** Keeps the picture unless a later capture was shown already (batches finish in any order). */
  synchronized void show(Drawable.Picture picture) {
    if (latest == null
        || picture.moment().capturedAtMicros() >= latest.moment().capturedAtMicros()) {
      latest = picture;
      version++;
    }
  }

  synchronized Optional<Shown> latest() {
    return latest == null ? Optional.empty() : Optional.of(new Shown(latest, version));
  }

  /** The latest picture if it was not sent to the browsers yet; it counts as sent from now on. */
  synchronized Optional<Shown> unsent() {
    if (latest == null || version == sentVersion) {
      return Optional.empty();
    }
    sentVersion = version;
    return Optional.of(new Shown(latest, version));
  }

  synchronized Snapshot snapshot(long nowMillis) {
    long second = Math.floorDiv(nowMillis, 1000L);
    return new Snapshot(stream, answers.counts(second), latencyMillis.means(second));
  }

  synchronized boolean idleSince(long millis) {
    return lastSeenMillis < millis;
  }

  String stream() {
    return stream;
  }
}
