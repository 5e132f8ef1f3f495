package streaminfer.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import streaminfer.stream.RecordTracer;

class TracingTest {
  @Test
  void isOffWhenNoExporterOrEndpointIsConfigured() {
    try (Tracing tracing = Tracing.from(Map.of("OTEL_SERVICE_NAME", "x"), new Properties())) {
      assertFalse(tracing.enabled());
      assertSame(RecordTracer.NONE, tracing.recordTracer("dgex", "g"));
    }
  }

  @Test
  void isOffWhenTheTraceExporterIsNone() {
    Map<String, String> environment =
        Map.of("OTEL_TRACES_EXPORTER", "none", "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1");
    try (Tracing tracing = Tracing.from(environment, new Properties())) {
      assertFalse(tracing.enabled());
    }
  }

  @Test
  void isOnWhenAnOtlpEndpointIsConfiguredInTheEnvironment() {
    Map<String, String> environment = Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1");
    try (Tracing tracing = Tracing.from(environment, new Properties())) {
      assertTrue(tracing.enabled());
      assertTrue(tracing.recordTracer("dgex", "g") != RecordTracer.NONE);
    }
  }

  @Test
  void exportsSpansOverOtlpHttpToTheConfiguredEndpoint() throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    collector.createContext(
        "/v1/traces",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          received.add(
              exchange.getRequestHeaders().getFirst("Content-Type")
                  + " "
                  + new String(body, StandardCharsets.ISO_8859_1));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    collector.start();
    try {
      Map<String, String> environment =
          Map.of(
              "OTEL_EXPORTER_OTLP_ENDPOINT",
              "http://127.0.0.1:" + collector.getAddress().getPort(),
              "OTEL_SERVICE_NAME",
              "engine-under-test");
      try (Tracing tracing = Tracing.from(environment, new Properties())) {
        RecordTracer.Started started =
            tracing.recordTracer("dgex", "g").start("gene-panels", 2, 41, List.of());
        RecordTracer.succeeded(started.span(), 1);
      }
    } finally {
      collector.stop(0);
    }
    assertEquals(1, received.size(), "one export at close");
    String export = received.get(0);
    assertTrue(export.startsWith("application/x-protobuf "), export);
    assertTrue(export.contains("process gene-panels"), "the span's name");
    assertTrue(export.contains("engine-under-test"), "the service name");
  }

  @Test
  void isOnWhenASystemPropertyNamesTheOtlpExporter() {
    Properties properties = new Properties();
    properties.setProperty("otel.traces.exporter", "otlp");
    properties.setProperty("otel.exporter.otlp.endpoint", "http://127.0.0.1:1");
    try (Tracing tracing = Tracing.from(Map.of(), properties)) {
      assertTrue(tracing.enabled());
    }
  }
}
