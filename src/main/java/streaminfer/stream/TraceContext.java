package streaminfer.stream;

import io.vertx.kafka.client.producer.KafkaHeader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The W3C Trace Context ({@code traceparent}, {@code tracestate}) and W3C Baggage headers of an
 * input record, carried unchanged to each of its outputs and to its dead letter, so that a tracer
 * following a record through Kafka finds its results in the same trace.
 */
final class TraceContext {
  private TraceContext() {}

  static final Set<String> HEADERS = Set.of("traceparent", "tracestate", "baggage");

  /** The trace headers among a record's headers, in their order; usually none. */
  static List<KafkaHeader> of(List<KafkaHeader> headers) {
    if (headers.isEmpty()) {
      return List.of();
    }
    List<KafkaHeader> trace = new ArrayList<>(2);
    for (KafkaHeader header : headers) {
      if (HEADERS.contains(header.key().toLowerCase(Locale.ROOT))) {
        trace.add(header);
      }
    }
    return trace.isEmpty() ? List.of() : List.copyOf(trace);
  }
}
