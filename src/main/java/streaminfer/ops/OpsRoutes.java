package streaminfer.ops;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/** More routes on the ops server's one port (the live dashboard). */
public interface OpsRoutes {
  /** Called once, on the ops server's event loop as it starts: timers set here run on that loop. */
  void mount(Router router, Vertx vertx);
}
