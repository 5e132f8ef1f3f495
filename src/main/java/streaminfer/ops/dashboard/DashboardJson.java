package streaminfer.ops.dashboard;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import streaminfer.family.Drawable;
import streaminfer.ops.DeadLetterLog;

/** What the dashboard's events carry, as the page reads them (one JSON object per event). */
final class DashboardJson {
  private DashboardJson() {}

  /** A {@code picture} event: the image inline (a data URL), so image and shapes stay together. */
  static JsonObject picture(String pipeline, Drawable.Picture picture) {
    JsonArray shapes = new JsonArray();
    for (Drawable.Shape shape : picture.shapes()) {
      JsonObject json =
          new JsonObject()
              .put("label", shape.label())
              .put("score", round(shape.score(), 3))
              .put(
                  "box",
                  new JsonArray()
                      .add(round(shape.xMin(), 4))
                      .add(round(shape.yMin(), 4))
                      .add(round(shape.xMax(), 4))
                      .add(round(shape.yMax(), 4)));
      if (!shape.maskRuns().isEmpty()) {
        json.put("maskRuns", new JsonArray(shape.maskRuns()));
      }
      shapes.add(json);
    }
    Drawable.Moment moment = picture.moment();
    return new JsonObject()
        .put("pipeline", pipeline)
        .put("stream", moment.stream())
        .put("seq", moment.seq())
        .put("capturedAtMicros", moment.capturedAtMicros())
        .put("width", picture.width())
        .put("height", picture.height())
        .put(
            "image",
            "data:"
                + picture.mediaType()
                + ";base64,"
                + Base64.getEncoder().encodeToString(picture.image()))
        .put("shapes", shapes);
  }

  /** A pipeline's history: one array per measure, oldest first. */
  static JsonObject pipeline(PipelineHistory history) {
    List<PipelineHistory.Sample> samples = history.samples();
    return new JsonObject()
        .put("name", history.pipeline())
        .put("atMillis", series(samples, PipelineHistory.Sample::atMillis))
        .put("inPerSecond", series(samples, sample -> round(sample.inPerSecond(), 1)))
        .put("outPerSecond", series(samples, sample -> round(sample.outPerSecond(), 1)))
        .put(
            "deadLettersPerSecond",
            series(samples, sample -> round(sample.deadLettersPerSecond(), 2)))
        .put("skippedPerSecond", series(samples, sample -> round(sample.skippedPerSecond(), 1)))
        .put("lag", series(samples, PipelineHistory.Sample::lag))
        .put("inFlight", series(samples, PipelineHistory.Sample::inFlight))
        .put("meanBatchSize", series(samples, sample -> round(sample.meanBatchSize(), 2)))
        .put("p50Millis", series(samples, sample -> round(sample.p50Millis(), 1)))
        .put("p99Millis", series(samples, sample -> round(sample.p99Millis(), 1)))
        .put("totalOut", history.metrics().recordsOut())
        .put("totalDeadLetters", history.metrics().deadLettered());
  }

  static JsonObject stream(String pipeline, StreamWatch.Snapshot snapshot) {
    return new JsonObject()
        .put("pipeline", pipeline)
        .put("stream", snapshot.stream())
        .put("answersPerSecond", new JsonArray(snapshot.answersPerSecond()))
        .put(
            "latencyMillis",
            new JsonArray(
                snapshot.latencyMillis().stream().map(value -> round(value, 1)).toList()));
  }

  static JsonObject deadLetter(DeadLetterLog.Entry entry) {
    return new JsonObject()
        .put("at", entry.at().toString())
        .put("pipeline", entry.pipeline())
        .put("key", entry.key())
        .put("source", entry.source())
        .put("error", entry.error())
        .put("message", entry.message())
        .put("modelVersion", entry.modelVersion());
  }

  private static <T> JsonArray series(
      List<PipelineHistory.Sample> samples, Function<PipelineHistory.Sample, T> value) {
    JsonArray array = new JsonArray();
    samples.forEach(sample -> array.add(value.apply(sample)));
    return array;
  }

  /** Fewer digits: the page shows a few, and the events are smaller. Null stays null. */
  private static Double round(Double value, int digits) {
    if (value == null || value.isNaN() || value.isInfinite()) {
      return null;
    }
    double factor = Math.pow(10, digits);
    return Math.round(value * factor) / factor;
  }

  private static Double round(float value, int digits) {
    return round((double) value, digits);
  }
}
