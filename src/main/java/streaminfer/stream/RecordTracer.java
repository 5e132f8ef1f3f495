package streaminfer.stream;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.vertx.kafka.client.producer.KafkaHeader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One OpenTelemetry span per input record, from its receipt until all its outputs (or its dead
 * letter) are acknowledged, following the messaging conventions for a "process" span. The span is a
 * child of the trace context in the record's headers, and the outputs carry the span's own context,
 * so a tracer sees producer, engine and the next consumer as one trace.
 *
 * <p>With tracing off ({@link #NONE}) the input's trace headers travel to the outputs unchanged.
 */
public final class RecordTracer {
  /** No spans: outputs carry their input's trace headers as they came. */
  public static final RecordTracer NONE = new RecordTracer(null, "", "");

  private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
  private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
  private static final AttributeKey<String> OPERATION =
      AttributeKey.stringKey("messaging.operation.type");
  private static final AttributeKey<String> DESTINATION =
      AttributeKey.stringKey("messaging.destination.name");
  private static final AttributeKey<String> PARTITION =
      AttributeKey.stringKey("messaging.destination.partition.id");
  private static final AttributeKey<Long> OFFSET = AttributeKey.longKey("messaging.kafka.offset");
  private static final AttributeKey<String> GROUP =
      AttributeKey.stringKey("messaging.consumer.group.name");
  private static final AttributeKey<String> PIPELINE =
      AttributeKey.stringKey("streaminfer.pipeline");
  private static final AttributeKey<Long> OUTPUTS =
      AttributeKey.longKey("streaminfer.output.count");

  private final Tracer tracer;
  private final String pipeline;
  private final String group;

  private RecordTracer(Tracer tracer, String pipeline, String group) {
    this.tracer = tracer;
    this.pipeline = pipeline;
    this.group = group;
  }

  /** Spans of {@code pipeline}'s records through {@code openTelemetry}'s tracer. */
  public static RecordTracer of(OpenTelemetry openTelemetry, String pipeline, String group) {
    return new RecordTracer(openTelemetry.getTracer("streaminfer"), pipeline, group);
  }

  /** Whether spans are made at all. */
  public boolean enabled() {
    return tracer != null;
  }

  /**
   * Starts the span of a received record; its headers give the parent. Returns the trace headers
   * its outputs carry: the span's context in place of the input's {@code traceparent} and {@code
   * tracestate}, and the input's baggage unchanged.
   */
  public Started start(String topic, int partition, long offset, List<KafkaHeader> inputTrace) {
    if (tracer == null) {
      return new Started(null, inputTrace);
    }
    Context parent = W3C.extract(Context.root(), inputTrace, HEADERS);
    Span span =
        tracer
            .spanBuilder("process " + topic)
            .setParent(parent)
            .setSpanKind(SpanKind.CONSUMER)
            .setAttribute(SYSTEM, "kafka")
            .setAttribute(OPERATION, "process")
            .setAttribute(DESTINATION, topic)
            .setAttribute(PARTITION, Integer.toString(partition))
            .setAttribute(OFFSET, offset)
            .setAttribute(GROUP, group)
            .setAttribute(PIPELINE, pipeline)
            .startSpan();
    List<KafkaHeader> outputTrace = new ArrayList<>(3);
    W3C.inject(Context.root().with(span), outputTrace, HEADERS);
    for (KafkaHeader header : inputTrace) {
      if (header.key().toLowerCase(Locale.ROOT).equals("baggage")) {
        outputTrace.add(header);
      }
    }
    return new Started(span, List.copyOf(outputTrace));
  }

  /** Ends a record's span once its outputs are acknowledged; null (no span) is ignored. */
  public static void succeeded(Span span, int outputs) {
    if (span != null) {
      span.setAttribute(OUTPUTS, (long) outputs);
      span.end();
    }
  }

  /** Ends a record's span once its dead letter is acknowledged, marked as an error. */
  public static void deadLettered(Span span, Throwable reason) {
    if (span != null) {
      span.recordException(reason);
      span.setStatus(StatusCode.ERROR, "dead-lettered: " + reason.getClass().getSimpleName());
      span.end();
    }
  }

  /** A started span (null when tracing is off) and the trace headers for the record's outputs. */
  public record Started(Span span, List<KafkaHeader> outputTrace) {}

  private static final Headers HEADERS = new Headers();

  /** Reads and writes W3C trace headers on a list of Kafka headers. */
  private static final class Headers
      implements TextMapGetter<List<KafkaHeader>>, TextMapSetter<List<KafkaHeader>> {
    @Override
    public Iterable<String> keys(List<KafkaHeader> carrier) {
      return carrier.stream().map(KafkaHeader::key).toList();
    }

    @Override
    public String get(List<KafkaHeader> carrier, String key) {
      if (carrier == null) {
        return null;
      }
      for (KafkaHeader header : carrier) {
        if (header.key().equalsIgnoreCase(key)) {
          return header.value().toString(StandardCharsets.UTF_8);
        }
      }
      return null;
    }

    @Override
    public void set(List<KafkaHeader> carrier, String key, String value) {
      if (carrier != null) {
        carrier.add(KafkaHeader.header(key, value));
      }
    }
  }
}
