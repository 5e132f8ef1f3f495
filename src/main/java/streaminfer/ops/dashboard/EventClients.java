package streaminfer.ops.dashboard;

import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The browsers connected to the dashboard's server-sent event stream. A browser that reads slower
 * than the events come misses events (its queue is bounded) instead of growing the engine's memory.
 *
 * <p>Threading: the ops server's event loop only; {@link #count} and {@link #missed} may be read
 * from any thread.
 */
final class EventClients {
  /** More browsers than this get 503: each costs the engine pictures to send. */
  static final int MAX_CLIENTS = 8;

  /** Bytes a browser may have unread before it misses events: a few seconds of pictures. */
  static final int MAX_QUEUED_BYTES = 4 * 1024 * 1024;

  private final List<HttpServerResponse> clients = new ArrayList<>();
  private final AtomicInteger count = new AtomicInteger();
  // Written on the event loop only, read from anywhere.
  private volatile long missed;

  /** Starts the event stream on the response; false when it is refused (too many). */
  boolean add(HttpServerResponse response) {
    if (clients.size() >= MAX_CLIENTS) {
      return false;
    }
    response
        .setChunked(true)
        .setWriteQueueMaxSize(MAX_QUEUED_BYTES)
        .putHeader("content-type", "text/event-stream; charset=utf-8")
        .putHeader("cache-control", "no-cache")
        // A browser reconnects this long after the engine went away.
        .write("retry: 2000\n\n");
    response.closeHandler(closed -> remove(response));
    response.exceptionHandler(failed -> remove(response));
    clients.add(response);
    count.set(clients.size());
    return true;
  }

  /** Sends the event to every browser that has room for it. */
  void send(String event, String json) {
    for (HttpServerResponse client : List.copyOf(clients)) {
      send(client, event, json);
    }
  }

  void send(HttpServerResponse client, String event, String json) {
    if (client.writeQueueFull()) {
      missed++;
      return;
    }
    client.write(encode(event, json));
  }

  /** One server-sent event; the JSON is one line, so one {@code data:} field holds it. */
  static String encode(String event, String json) {
    return "event: " + event + "\ndata: " + json + "\n\n";
  }

  int count() {
    return count.get();
  }

  /** Events not sent to a browser whose queue was full. */
  long missed() {
    return missed;
  }

  private void remove(HttpServerResponse response) {
    clients.remove(response);
    count.set(clients.size());
  }
}
