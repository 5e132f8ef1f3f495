package streaminfer.ops.dashboard;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import streaminfer.config.DashboardSettings;
import streaminfer.family.Drawable;
import streaminfer.ops.OpsServer;
import streaminfer.ops.PipelineMetrics;
import streaminfer.pipeline.Viewers;

/** The dashboard on a real ops server: its page, its event stream and its bounds. */
class DashboardServerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private final Vertx vertx = Vertx.vertx();
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<InputStream> open = new ArrayList<>();
  private final SteppedClock clock = new SteppedClock(System.currentTimeMillis());
  private Dashboard dashboard;
  private Viewers viewers;
  private OpsServer server;

  @BeforeEach
  void start() throws Exception {
    dashboard = new Dashboard(new DashboardSettings(true, 10, 4), clock);
    viewers = dashboard.watch(new PipelineMetrics(registry, "cams", "det"));
    server = new OpsServer("127.0.0.1", 0, registry, List.of(), List.of(), List.of(dashboard));
    vertx
        .deployVerticle(server)
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    for (InputStream stream : open) {
      stream.close();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void servesThePageBesideHealthAndMetrics() throws Exception {
    assertEquals(302, get("/dashboard").statusCode(), "to /dashboard/, where its links resolve");
    HttpResponse<String> page = get("/dashboard/");
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("<script src=\"dashboard.js\">"), page.body());
    assertEquals(200, get("/dashboard/dashboard.js").statusCode());
    assertEquals(200, get("/metrics").statusCode());
    assertEquals(404, get("/nothing").statusCode());
  }

  @Test
  void servesEachPageFileWithItsTypeAndNothingElse() throws Exception {
    HttpResponse<String> style = get("/dashboard/dashboard.css");
    assertEquals(200, style.statusCode());
    assertTrue(style.headers().firstValue("content-type").orElse("").startsWith("text/css"));
    assertEquals(get("/dashboard/").body(), get("/dashboard/index.html").body());
    assertEquals(404, get("/dashboard/missing.js").statusCode());
    assertEquals(404, get("/dashboard/%2e%2e/streaminfer/ops/OpsServer.class").statusCode());
  }

  @Test
  void answersPageRequestsDuringShutdownWithoutAServerError() throws Exception {
    Vertx closing = Vertx.vertx();
    OpsServer other =
        new OpsServer(
            "127.0.0.1",
            0,
            registry,
            List.of(),
            List.of(),
            List.of(new Dashboard(new DashboardSettings(true, 10, 4), clock)));
    closing.deployVerticle(other).toCompletionStage().toCompletableFuture().get(10, SECONDS);
    URI script = URI.create("http://127.0.0.1:" + other.actualPort() + "/dashboard/dashboard.js");
    ConcurrentHashMap<Integer, Integer> statuses = new ConcurrentHashMap<>();
    AtomicBoolean closed = new AtomicBoolean();
    List<Thread> browsers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Thread browser =
          new Thread(
              () -> {
                // Until the port refuses, or the close has returned.
                while (!closed.get()) {
                  try {
                    int status =
                        http.send(
                                HttpRequest.newBuilder(script).timeout(WAIT).build(),
                                HttpResponse.BodyHandlers.discarding())
                            .statusCode();
                    statuses.merge(status, 1, Integer::sum);
                  } catch (Exception refused) {
                    return;
                  }
                }
              });
      browser.start();
      browsers.add(browser);
    }
    Thread.sleep(200);
    closing.close().toCompletionStage().toCompletableFuture().get(10, SECONDS);
    closed.set(true);
    for (Thread browser : browsers) {
      browser.join(WAIT.toMillis());
    }
    assertTrue(statuses.getOrDefault(200, 0) > 0, statuses.toString());
    assertEquals(Set.of(200), statuses.keySet(), "no status but 200: " + statuses);
  }

  @Test
  void sendsStatsOnConnectThenEachNewPictureWithItsShapes() throws Exception {
    assertFalse(viewers.watched(), "nobody watches yet: pipelines draw nothing");
    BufferedReader events = events();

    JsonObject stats = next(events, "stats");
    assertEquals("cams", stats.getJsonArray("pipelines").getJsonObject(0).getString("name"));
    awaitWatched();

    Drawable.Moment moment = new Drawable.Moment("cam-1", 7, System.currentTimeMillis() * 1000);
    assertTrue(viewers.served(moment));
    viewers.show(
        new Drawable.Picture(
            moment,
            4,
            3,
            "image/jpeg",
            new byte[] {(byte) 0xff, (byte) 0xd8},
            List.of(new Drawable.Shape("circle", 0.9f, 0.1f, 0.2f, 0.5f, 0.6f, List.of(3, 4, 5)))));

    JsonObject picture = next(events, "picture");
    assertEquals("cams", picture.getString("pipeline"));
    assertEquals("cam-1", picture.getString("stream"));
    assertEquals(7, picture.getLong("seq"));
    assertEquals("data:image/jpeg;base64,/9g=", picture.getString("image"));
    JsonObject shape = picture.getJsonArray("shapes").getJsonObject(0);
    assertEquals("circle", shape.getString("label"));
    assertEquals(List.of(0.1, 0.2, 0.5, 0.6), shape.getJsonArray("box").getList());
    assertEquals(List.of(3, 4, 5), shape.getJsonArray("maskRuns").getList());

    JsonObject later = next(events, "stats");
    assertEquals("cam-1", later.getJsonArray("streams").getJsonObject(0).getString("stream"));
  }

  @Test
  void refusesMoreBrowsersThanItServes() throws Exception {
    for (int i = 0; i < EventClients.MAX_CLIENTS; i++) {
      next(events(), "stats");
    }
    HttpResponse<String> refused = get("/dashboard/events");
    assertEquals(503, refused.statusCode());
  }

  @Test
  void stopsCountingStreamsOnceTheLastBrowserLeaves() throws Exception {
    BufferedReader events = events();
    next(events, "stats");
    awaitWatched();
    open.remove(open.size() - 1).close();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (viewers.watched() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertFalse(viewers.watched());
  }

  @Test
  void letsABrowserThatDoesNotReadMissPicturesInsteadOfQueueingThem() throws Exception {
    try (Socket stalled = new Socket("127.0.0.1", server.actualPort())) {
      stalled.setReceiveBufferSize(4096);
      stalled
          .getOutputStream()
          .write(
              "GET /dashboard/events HTTP/1.1\r\nHost: x\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      awaitWatched();
      byte[] image = new byte[1024 * 1024];
      long deadline = System.nanoTime() + WAIT.toNanos();
      long missed = 0;
      for (int seq = 0; missed == 0 && System.nanoTime() < deadline; seq++) {
        clock.advanceMillis(1000);
        Drawable.Moment moment = new Drawable.Moment("cam-1", seq, clock.millis() * 1000);
        assertTrue(viewers.served(moment));
        viewers.show(new Drawable.Picture(moment, 4, 3, "image/png", image, List.of()));
        Thread.sleep(150); // a send tick is 100 ms
        missed = dashboard.missedEvents();
      }
      assertTrue(missed > 0, "a stalled browser's queue is bounded: it misses events");
    }
  }

  private void awaitWatched() throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!viewers.watched() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertTrue(viewers.watched());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path)).timeout(WAIT).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private BufferedReader events() throws Exception {
    HttpResponse<InputStream> response =
        http.send(
            HttpRequest.newBuilder(uri("/dashboard/events")).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, response.statusCode());
    assertTrue(
        response.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
    open.add(response.body());
    return new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
  }

  /** Reads events until one named {@code name}; its data is one JSON line. */
  private static JsonObject next(BufferedReader events, String name) throws Exception {
    String event = null;
    for (String line = events.readLine(); line != null; line = events.readLine()) {
      if (line.startsWith("event: ")) {
        event = line.substring("event: ".length());
      } else if (line.startsWith("data: ") && name.equals(event)) {
        return new JsonObject(line.substring("data: ".length()));
      }
    }
    throw new AssertionError("the event stream ended before a " + name + " event");
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.actualPort() + path);
  }
}
