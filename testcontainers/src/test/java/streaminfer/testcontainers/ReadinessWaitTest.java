package streaminfer.testcontainers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.WaitStrategy;
import org.testcontainers.containers.wait.strategy.WaitStrategyTarget;

/**
 * Runs the container's own wait strategy against a local HTTP server standing in for the engine, so
 * what it polls (path, port, status) is checked by behaviour, without Docker.
 */
class ReadinessWaitTest {
  private final HttpServer engine = startFakeEngine();
  private final AtomicInteger readinessCalls = new AtomicInteger();

  @AfterEach
  void stop() {
    engine.stop(0);
  }

  @Test
  void startupWaitsUntilTheReadinessPathAnswers200() {
    // The engine is not ready for its first few probes (models warming up), then it is.
    engine.createContext(
        OpsEndpoints.READINESS,
        exchange -> {
          int status = readinessCalls.incrementAndGet() < 3 ? 503 : 200;
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    waitStrategyOf(new StreamInferContainer()).waitUntilReady(new FakeTarget(port()));
    assertTrue(readinessCalls.get() >= 3, "returned before readiness said 200");
  }

  @Test
  void anEngineThatIsOnlyAliveNeverCountsAsStarted() {
    engine.createContext(
        OpsEndpoints.LIVENESS,
        exchange -> {
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    engine.createContext(
        OpsEndpoints.READINESS,
        exchange -> {
          readinessCalls.incrementAndGet();
          exchange.sendResponseHeaders(503, -1);
          exchange.close();
        });
    StreamInferContainer container =
        new StreamInferContainer().withStartupTimeout(Duration.ofSeconds(2));
    FakeTarget target = new FakeTarget(port());

    assertThrows(
        ContainerLaunchException.class, () -> waitStrategyOf(container).waitUntilReady(target));
    assertTrue(readinessCalls.get() > 0, "the readiness path was never asked");
  }

  @Test
  void theDefaultStartupTimeoutLeavesTimeForModelsToWarmUp() {
    assertEquals(Duration.ofMinutes(3), StreamInferContainer.DEFAULT_STARTUP_TIMEOUT);
  }

  private int port() {
    return engine.getAddress().getPort();
  }

  private static HttpServer startFakeEngine() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.start();
      return server;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** GenericContainer keeps its wait strategy protected; a test may look. */
  private static WaitStrategy waitStrategyOf(GenericContainer<?> container) {
    try {
      Method getter = GenericContainer.class.getDeclaredMethod("getWaitStrategy");
      getter.setAccessible(true);
      return (WaitStrategy) getter.invoke(container);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A started container whose ops port is mapped to the fake engine's. */
  private record FakeTarget(int fakeEnginePort) implements WaitStrategyTarget {
    @Override
    public String getHost() {
      return InetAddress.getLoopbackAddress().getHostAddress();
    }

    @Override
    public Integer getMappedPort(int originalPort) {
      if (originalPort != EngineImage.OPS_PORT) {
        throw new IllegalArgumentException("asked for port " + originalPort + ", not the ops port");
      }
      return fakeEnginePort;
    }

    @Override
    public List<Integer> getExposedPorts() {
      return List.of(EngineImage.OPS_PORT);
    }

    @Override
    public InspectContainerResponse getContainerInfo() {
      return new InspectContainerResponse();
    }
  }
}
