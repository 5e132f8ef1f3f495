package streaminfer.ops.dashboard;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The dashboard page's few files, read from the class path once and served from memory. Vert.x's
 * static handler would copy them to its file cache instead, which it deletes while closing: a
 * browser that asked during a shutdown got a 500 and the log an error.
 */
final class PageFiles {
  private static final String DIRECTORY = "/streaminfer/dashboard/";
  private static final String INDEX = "index.html";
  private static final Map<String, String> TYPES =
      Map.of(
          INDEX,
          "text/html; charset=utf-8",
          "dashboard.js",
          "text/javascript; charset=utf-8",
          "dashboard.css",
          "text/css; charset=utf-8");

  private final Map<String, Buffer> contents;

  PageFiles() {
    contents =
        Map.copyOf(
            TYPES.keySet().stream()
                .collect(Collectors.toMap(name -> name, PageFiles::readResource)));
  }

  /** Serves {@code <mount>/<name>} ({@code <mount>/} is the index); 404 for any other name. */
  void serve(RoutingContext context, String mount) {
    String path = context.request().path();
    String name = path.substring(Math.min(path.length(), mount.length() + 1));
    if (name.isEmpty()) {
      name = INDEX;
    }
    Buffer content = contents.get(name);
    if (content == null) {
      context.response().setStatusCode(404).end();
      return;
    }
    context
        .response()
        .putHeader("content-type", TYPES.get(name))
        .putHeader("cache-control", "no-cache")
        .end(content);
  }

  private static Buffer readResource(String name) {
    try (InputStream in = PageFiles.class.getResourceAsStream(DIRECTORY + name)) {
      if (in == null) {
        throw new IllegalStateException("missing from the class path: " + DIRECTORY + name);
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
