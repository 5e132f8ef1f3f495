package streaminfer.config;

/**
 * The HTTP endpoint (health, metrics, the live dashboard) and the console report.
 *
 * @param bindAddress where the HTTP server listens: loopback unless configured (e.g. {@code
 *     0.0.0.0} in a container)
 * @param port 0 picks a free one
 * @param reportEverySeconds period of the console throughput report; 0 turns it off
 * @param dashboard the live dashboard on the same port
 */
public record OpsSettings(
    String bindAddress, int port, int reportEverySeconds, DashboardSettings dashboard) {
  public static final String LOOPBACK = "127.0.0.1";

  public static OpsSettings defaults() {
    return new OpsSettings(LOOPBACK, 8080, 2, DashboardSettings.defaults());
  }
}
