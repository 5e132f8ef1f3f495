package streaminfer.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.Optional;

/**
 * HTTP on one port (Vert.x Web's router): {@code /health/live} (every liveness check passes: no
 * pipeline has halted, so a restart would not help), {@code /health/ready} (every readiness check
 * passes: broker reachable, models loaded, pipelines consuming), {@code /metrics} in the Prometheus
 * text format, and what {@link OpsRoutes} add (the live dashboard).
 */
public final class OpsServer extends VerticleBase {
  private final String host;
  private final int port;
  private final PrometheusMeterRegistry registry;
  private final List<HealthCheck> liveness;
  private final List<HealthCheck> readiness;
  private final List<OpsRoutes> routes;
  private HttpServer server;

  /**
   * @param host the address to bind: loopback unless the user configured another
   */
  public OpsServer(
      String host,
      int port,
      PrometheusMeterRegistry registry,
      List<HealthCheck> liveness,
      List<HealthCheck> readiness) {
    this(host, port, registry, liveness, readiness, List.of());
  }

  /**
   * @param routes more routes on the same port (the live dashboard)
   */
  public OpsServer(
      String host,
      int port,
      PrometheusMeterRegistry registry,
      List<HealthCheck> liveness,
      List<HealthCheck> readiness,
      List<OpsRoutes> routes) {
    this.routes = List.copyOf(routes);
    this.host = host;
    this.port = port;
    this.registry = registry;
    this.liveness = List.copyOf(liveness);
    this.readiness = List.copyOf(readiness);
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.route("/health/live").handler(context -> check(context.request(), liveness));
    router.route("/health/ready").handler(context -> check(context.request(), readiness));
    router.route("/metrics").handler(context -> metrics(context.request()));
    routes.forEach(more -> more.mount(router, vertx));
    server = vertx.createHttpServer().requestHandler(router);
    return server.listen(port, host);
  }

  /** The bound port (useful when 0 asked for an ephemeral one). */
  public int actualPort() {
    return server.actualPort();
  }

  private void metrics(HttpServerRequest request) {
    request
        .response()
        .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
        .end(registry.scrape());
  }

  private static void check(HttpServerRequest request, List<HealthCheck> checks) {
    JsonObject problems = new JsonObject();
    for (HealthCheck check : checks) {
      Optional<String> problem = check.problem().get();
      problem.ifPresent(text -> problems.put(check.name(), text));
    }
    boolean up = problems.isEmpty();
    json(
        request,
        up ? 200 : 503,
        new JsonObject().put("status", up ? "UP" : "DOWN").put("problems", problems));
  }

  private static void json(HttpServerRequest request, int status, JsonObject body) {
    request
        .response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(body.encode());
  }
}
