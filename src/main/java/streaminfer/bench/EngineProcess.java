package streaminfer.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import streaminfer.config.ConfigTree;

/**
 * The engine as a user runs it: {@code streaminfer serve} in a JVM of its own, started from this
 * jar with a configuration file, its output in a log file; {@link #start} returns once its {@code
 * /health/ready} answers 200. Closing stops it (SIGTERM: it drains) and waits for it.
 */
public final class EngineProcess implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

  private final Process process;
  private final Path log;
  private final double readySeconds;

  private EngineProcess(Process process, Path log, double readySeconds) {
    this.process = process;
    this.log = log;
    this.readySeconds = readySeconds;
  }

  /**
   * Writes {@code tree} to a temporary configuration file (its {@code ops.port} set to a free
   * port), starts {@code serve} on it and waits until it is ready.
   */
  public static EngineProcess start(ObjectNode tree) throws Exception {
    ObjectNode config = tree.deepCopy();
    int port = freePort();
    ConfigTree.set(config, "ops.port", Integer.toString(port));
    ConfigTree.set(config, "ops.bindAddress", "127.0.0.1");
    Path file = Files.createTempFile("streaminfer-bench-engine", ".yaml");
    new ObjectMapper(new YAMLFactory()).writeValue(file.toFile(), config);
    return start(file, port);
  }

  /** Starts {@code serve --config file}, whose ops port is {@code port}, and waits until ready. */
  public static EngineProcess start(Path file, int port) throws Exception {
    Path log = Files.createTempFile("streaminfer-bench-engine", ".log");
    long launched = System.nanoTime();
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                ownJar().toString(),
                "serve",
                "--config",
                file.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      awaitReady(port, process, log);
    } catch (Exception e) {
      process.destroyForcibly();
      throw e;
    }
    return new EngineProcess(process, log, (System.nanoTime() - launched) / 1e9);
  }

  /** Seconds from launch to ready. */
  public double readySeconds() {
    return readySeconds;
  }

  public Path log() {
    return log;
  }

  /** A free loopback port, for an engine's health and metrics. */
  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void awaitReady(int port, Process engine, Path log) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
            .timeout(Duration.ofSeconds(2))
            .build();
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!engine.isAlive()) {
        throw new IllegalStateException("the engine exited; its log: " + log);
      }
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(
        "the engine was not ready within " + READY_TIMEOUT + "; " + log);
  }

  private static Path ownJar() throws Exception {
    Path location =
        Path.of(EngineProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    if (!location.toString().endsWith(".jar")) {
      throw new IllegalStateException(
          "this benchmark starts the engine from the packaged jar; run it with java -jar");
    }
    return location;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
