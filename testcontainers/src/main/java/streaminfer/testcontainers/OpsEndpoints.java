package streaminfer.testcontainers;

import java.time.Duration;
import org.testcontainers.containers.wait.strategy.HttpWaitStrategy;
import org.testcontainers.containers.wait.strategy.Wait;

/** The engine's HTTP paths on {@link EngineImage#OPS_PORT} (the engine's {@code OpsServer}). */
public final class OpsEndpoints {
  /** 200 once the broker answers, models are warm and every pipeline's consumer has joined. */
  public static final String READINESS = "/health/ready";

  /** 200 while no pipeline has halted. */
  public static final String LIVENESS = "/health/live";

  /** Prometheus text format. */
  public static final String METRICS = "/metrics";

  private OpsEndpoints() {}

  /**
   * Waits for readiness rather than liveness: the engine answers {@code /health/live} before its
   * consumers have joined their groups, and a test that produced then could race the engine's topic
   * creation and offset reset.
   */
  public static HttpWaitStrategy readiness(Duration startupTimeout) {
    return (HttpWaitStrategy)
        Wait.forHttp(READINESS)
            .forPort(EngineImage.OPS_PORT)
            .forStatusCode(200)
            .withStartupTimeout(startupTimeout);
  }
}
