package streaminfer.ops.dashboard;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import streaminfer.config.DashboardSettings;
import streaminfer.ops.DeadLetterLog;
import streaminfer.ops.OpsRoutes;
import streaminfer.ops.PipelineMetrics;
import streaminfer.pipeline.Viewers;

/**
 * The live dashboard on the ops port: the page ({@code /dashboard/}, files on the class path served
 * from memory) and its server-sent events ({@code /dashboard/events}): {@code picture} (a stream's
 * latest picture with its shapes, at most {@code picturesPerSecond} per stream) and, every second,
 * {@code stats} (each pipeline's rates, lag, batch sizes and latency, each stream's answers per
 * second and latency, the latest dead letters).
 *
 * <p>Costs: pipeline meters are read once a second whatever happens; streams are counted and
 * pictures drawn only while a browser is connected (see {@link PipelineView}); memory is bounded
 * (one picture per followed stream, a minute of history, {@link EventClients#MAX_CLIENTS}).
 *
 * <p>Threading: everything but the {@link PipelineView}s runs on the ops server's event loop.
 */
public final class Dashboard implements OpsRoutes {
  public static final String PATH = "/dashboard";
  static final int HISTORY_SECONDS = PipelineView.HISTORY_SECONDS;
  static final int DEAD_LETTERS_SHOWN = 20;

  private final DashboardSettings settings;
  private final Clock clock;
  private final EventClients clients = new EventClients();
  private final PageFiles page = new PageFiles();
  private final List<PipelineView> views = new ArrayList<>();
  private final List<PipelineHistory> histories = new ArrayList<>();

  public Dashboard(DashboardSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  /** Follows a pipeline: its meters for the page, and the viewers its processor reports to. */
  public Viewers watch(PipelineMetrics metrics) {
    PipelineView view =
        new PipelineView(
            metrics.pipeline(),
            () -> clients.count() > 0,
            clock,
            settings.picturesPerSecond(),
            settings.maxStreams());
    synchronized (views) {
      views.add(view);
      histories.add(new PipelineHistory(metrics, HISTORY_SECONDS));
    }
    return view;
  }

  @Override
  public void mount(Router router, Vertx vertx) {
    // The page's links are relative: it must be loaded as /dashboard/ (the route matches both).
    router
        .get(PATH)
        .handler(
            context -> {
              if (context.request().path().equals(PATH)) {
                context.redirect(PATH + "/");
              } else {
                context.next();
              }
            });
    router.get(PATH + "/events").handler(this::connect);
    router.get(PATH + "/*").handler(context -> page.serve(context, PATH));
    vertx.setPeriodic(1000, id -> everySecond());
    vertx.setPeriodic(1000L / settings.picturesPerSecond(), id -> sendNewPictures());
  }

  private void connect(RoutingContext context) {
    HttpServerResponse response = context.response();
    if (!clients.add(response)) {
      response.setStatusCode(503).end("too many dashboards are open");
      return;
    }
    // What there is now, so the page does not wait for the next tick.
    clients.send(response, "stats", stats().encode());
    for (PipelineView view : views()) {
      for (StreamWatch watch : view.streams()) {
        watch
            .latest()
            .ifPresent(
                shown ->
                    clients.send(
                        response,
                        "picture",
                        DashboardJson.picture(view.pipeline(), shown.picture()).encode()));
      }
    }
  }

  private void everySecond() {
    long nanos = System.nanoTime();
    long millis = clock.millis();
    for (PipelineHistory history : histories()) {
      history.sample(nanos, millis);
    }
    views().forEach(PipelineView::forgetIdle);
    if (clients.count() > 0) {
      clients.send("stats", stats().encode());
    }
  }

  /** Each stream's latest picture, when it is newer than what the browsers have. */
  void sendNewPictures() {
    for (PipelineView view : views()) {
      for (StreamWatch watch : view.streams()) {
        // Taken even with no browser left, so that the next one to connect gets it only once.
        watch
            .unsent()
            .filter(shown -> clients.count() > 0)
            .ifPresent(
                shown ->
                    clients.send(
                        "picture",
                        DashboardJson.picture(view.pipeline(), shown.picture()).encode()));
      }
    }
  }

  JsonObject stats() {
    JsonArray pipelines = new JsonArray();
    JsonArray streams = new JsonArray();
    List<DeadLetterLog.Entry> letters = new ArrayList<>();
    for (PipelineHistory history : histories()) {
      pipelines.add(DashboardJson.pipeline(history));
      letters.addAll(history.metrics().recentDeadLetters());
    }
    for (PipelineView view : views()) {
      for (StreamWatch watch : view.streams()) {
        streams.add(DashboardJson.stream(view.pipeline(), watch.snapshot(view.nowMillis())));
      }
    }
    letters.sort(Comparator.comparing(DeadLetterLog.Entry::at).reversed());
    JsonArray deadLetters = new JsonArray();
    letters.stream()
        .limit(DEAD_LETTERS_SHOWN)
        .forEach(letter -> deadLetters.add(DashboardJson.deadLetter(letter)));
    return new JsonObject()
        .put("atMillis", clock.millis())
        .put("picturesPerSecond", settings.picturesPerSecond())
        .put("pipelines", pipelines)
        .put("streams", streams)
        .put("deadLetters", deadLetters);
  }

  /** Events browsers missed because they read too slowly. */
  long missedEvents() {
    return clients.missed();
  }

  private List<PipelineView> views() {
    synchronized (views) {
      return List.copyOf(views);
    }
  }

  private List<PipelineHistory> histories() {
    synchronized (views) {
      return List.copyOf(histories);
    }
  }
}
