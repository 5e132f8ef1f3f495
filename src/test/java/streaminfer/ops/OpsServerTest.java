package streaminfer.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpsServerTest {
  private final Vertx vertx = Vertx.vertx();
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicReference<Optional<String>> broker =
      new AtomicReference<>(Optional.of("broker unreachable"));
  private final AtomicReference<Optional<String>> pipeline =
      new AtomicReference<>(Optional.empty());
  private OpsServer server;

  @BeforeEach
  void start() throws Exception {
    HealthCheck pipelineCheck = new HealthCheck("pipeline dgex", pipeline::get);
    server =
        new OpsServer(
            "127.0.0.1",
            0,
            registry,
            List.of(pipelineCheck),
            List.of(pipelineCheck, new HealthCheck("broker", broker::get)));
    vertx
        .deployVerticle(server)
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void listensOnLoopbackOnlyWhenToldSo() throws Exception {
    // /proc/net/tcp{,6} list sockets by local address (hex) and state (0A: listening); the JVM
    // binds IPv4 addresses as IPv4-mapped IPv6 ones.
    String port = String.format(":%04X", server.actualPort());
    List<String> addresses = new java.util.ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of(table))) {
        String[] fields = line.trim().split("\\s+");
        if (fields[1].endsWith(port) && fields[3].equals("0A")) {
          addresses.add(fields[1].substring(0, fields[1].length() - port.length()));
        }
      }
    }
    assertEquals(1, addresses.size(), String.valueOf(addresses));
    assertTrue(
        addresses.get(0).equals("0100007F") || addresses.get(0).endsWith("FFFF00000100007F"),
        "bound to " + addresses.get(0) + ", not 127.0.0.1");
  }

  @Test
  void isLiveButNotReadyWhileTheBrokerIsUnreachable() throws Exception {
    assertEquals(200, get("/health/live").statusCode());
    HttpResponse<String> ready = get("/health/ready");
    assertEquals(503, ready.statusCode());
    assertTrue(ready.body().contains("broker unreachable"), ready.body());
    broker.set(Optional.empty());
    assertEquals(200, get("/health/ready").statusCode());
  }

  @Test
  void isNeitherLiveNorReadyOnceAPipelineHalted() throws Exception {
    broker.set(Optional.empty());
    pipeline.set(Optional.of("halted"));
    assertEquals(503, get("/health/live").statusCode());
    assertEquals(503, get("/health/ready").statusCode());
  }

  @Test
  void exportsPipelineMetricsInThePrometheusFormat() throws Exception {
    PipelineMetrics metrics = new PipelineMetrics(registry, "dgex", "dgex");
    metrics.received(0, 0);
    metrics.produced(System.currentTimeMillis());
    metrics.deadLettered("CodecException");
    metrics.mainModel(3).batchCompleted(16, 1_000_000, false);
    String body = get("/metrics").body();
    assertTrue(body.contains("streaminfer_records_in_total{pipeline=\"dgex\"} 1.0"), body);
    assertTrue(body.contains("streaminfer_records_out_total{pipeline=\"dgex\"} 1.0"), body);
    assertTrue(
        body.contains(
            "streaminfer_records_deadlettered_total{pipeline=\"dgex\",reason=\"CodecException\"} 1.0"),
        body);
    assertTrue(
        body.contains("streaminfer_inference_latency_seconds_bucket{model=\"dgex\",version=\"3\""),
        body);
    assertTrue(body.contains("streaminfer_consumer_lag_records{pipeline=\"dgex\"}"), body);
    assertTrue(
        body.contains("streaminfer_batch_size_records_count{model=\"dgex\",version=\"3\"} 1"),
        body);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + server.actualPort() + path))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
