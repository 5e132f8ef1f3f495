package streaminfer.config;

/**
 * The live dashboard on the ops port ({@code /dashboard/}).
 *
 * @param enabled off by default: it shows the input pictures themselves, which a port opened for
 *     Prometheus should not publish unasked
 * @param picturesPerSecond the most pictures a second drawn per stream, and only while a browser
 *     watches
 * @param maxStreams the most streams per pipeline the dashboard follows at once; others wait until
 *     one has been idle for a minute
 */
public record DashboardSettings(boolean enabled, int picturesPerSecond, int maxStreams) {
  public DashboardSettings {
    if (picturesPerSecond < 1 || picturesPerSecond > 30) {
      throw new IllegalArgumentException(
          "picturesPerSecond must be in 1..30, was " + picturesPerSecond);
    }
    if (maxStreams < 1 || maxStreams > 256) {
      throw new IllegalArgumentException("maxStreams must be in 1..256, was " + maxStreams);
    }
  }

  public static DashboardSettings defaults() {
    return new DashboardSettings(false, 4, 16);
  }
}
