package streaminfer.ops.dashboard;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import streaminfer.family.Drawable;
import streaminfer.pipeline.Viewers;

/**
 * The dashboard as one pipeline sees it: while a browser watches, each answer is counted for its
 * stream and at most {@code picturesPerSecond} a stream are drawn. At most {@code maxStreams}
 * streams are followed; a stream idle for {@link #IDLE_MILLIS} makes room.
 */
final class PipelineView implements Viewers {
  static final long IDLE_MILLIS = 60_000;
  static final int HISTORY_SECONDS = 60;

  private final String pipeline;
  private final BooleanSupplier watched;
  private final Clock clock;
  private final long pictureIntervalMillis;
  private final int maxStreams;
  private final Map<String, StreamWatch> streams = new ConcurrentHashMap<>();

  PipelineView(
      String pipeline,
      BooleanSupplier watched,
      Clock clock,
      int picturesPerSecond,
      int maxStreams) {
    this.pipeline = pipeline;
    this.watched = watched;
    this.clock = clock;
    this.pictureIntervalMillis = 1000L / picturesPerSecond;
    this.maxStreams = maxStreams;
  }

  @Override
  public boolean watched() {
    return watched.getAsBoolean();
  }

  @Override
  public boolean served(Drawable.Moment moment) {
    long now = clock.millis();
    StreamWatch watch = streams.get(moment.stream());
    if (watch == null) {
      // Creation is rare (a new stream): locked so that the bound holds exactly.
      synchronized (streams) {
        if (!streams.containsKey(moment.stream()) && streams.size() >= maxStreams) {
          return false;
        }
        watch =
            streams.computeIfAbsent(
                moment.stream(),
                stream -> new StreamWatch(stream, pictureIntervalMillis, HISTORY_SECONDS, now));
      }
    }
    return watch.served(now, moment);
  }

  @Override
  public void show(Drawable.Picture picture) {
    StreamWatch watch = streams.get(picture.moment().stream());
    if (watch != null) {
      watch.show(picture);
    }
  }

  /** Drops the streams no answer came from for a minute. */
  void forgetIdle() {
    long since = clock.millis() - IDLE_MILLIS;
    streams.values().removeIf(watch -> watch.idleSince(since));
  }

  /** The followed streams, by name. */
  List<StreamWatch> streams() {
    List<StreamWatch> all = new ArrayList<>(streams.values());
    all.sort(java.util.Comparator.comparing(StreamWatch::stream));
    return all;
  }

  String pipeline() {
    return pipeline;
  }

  long nowMillis() {
    return clock.millis();
  }
}
