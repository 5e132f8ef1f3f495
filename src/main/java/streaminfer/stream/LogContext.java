package streaminfer.stream;

import io.vertx.kafka.client.common.TopicPartition;
import java.util.List;
import org.slf4j.MDC;

/**
 * The context of the stream layer's log events, as MDC keys: {@code pipeline}, and for an event
 * about one record its {@code topic}, {@code partition} and {@code offset}. JSON logs ({@code
 * STREAMINFER_LOG_FORMAT=json}) carry them as fields of the event; the text format leaves them out.
 * Set only around the log call: the event loop runs many pipelines' handlers.
 */
final class LogContext {
  private LogContext() {}

  static void pipeline(String pipeline, Runnable log) {
    with(List.of("pipeline", pipeline), log);
  }

  static void record(String pipeline, TopicPartition partition, long offset, Runnable log) {
    with(
        List.of(
            "pipeline",
            pipeline,
            "topic",
            partition.getTopic(),
            "partition",
            Integer.toString(partition.getPartition()),
            "offset",
            Long.toString(offset)),
        log);
  }

  private static void with(List<String> keysAndValues, Runnable log) {
    for (int i = 0; i < keysAndValues.size(); i += 2) {
      MDC.put(keysAndValues.get(i), keysAndValues.get(i + 1));
    }
    try {
      log.run();
    } finally {
      for (int i = 0; i < keysAndValues.size(); i += 2) {
        MDC.remove(keysAndValues.get(i));
      }
    }
  }
}
