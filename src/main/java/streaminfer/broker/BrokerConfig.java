package streaminfer.broker;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How to run the embedded single-node KRaft broker.
 *
 * @param dataDir the broker's only log directory, also holding the KRaft metadata log; formatted on
 *     first use and reused, with its cluster id and records, on every later start
 * @param port the loopback port for clients (PLAINTEXT); 0 picks a free one on each start
 * @param controllerPort the loopback port for the KRaft controller; 0 picks a free one on each
 *     start
 * @param defaultPartitions partitions of auto-created topics ({@code num.partitions})
 * @param overrides extra broker properties, applied over the single-node defaults
 */
public record BrokerConfig(
    Path dataDir,
    int port,
    int controllerPort,
    int defaultPartitions,
    Map<String, String> overrides) {

  public static final int DEFAULT_PARTITIONS = 3;

  /**
   * Properties the embedded broker derives from the fields above; overriding them would break the
   * single-node, loopback-only layout, so they are refused rather than silently ignored.
   */
  static final Set<String> RESERVED_KEYS =
      Set.of(
          "process.roles",
          "node.id",
          "listeners",
          "advertised.listeners",
          "listener.security.protocol.map",
          "controller.listener.names",
          "inter.broker.listener.name",
          "controller.quorum.voters",
          "controller.quorum.bootstrap.servers",
          "log.dir",
          "log.dirs",
          "metadata.log.dir",
          "num.partitions");

  public BrokerConfig {
    Objects.requireNonNull(dataDir, "dataDir must not be null");
    Objects.requireNonNull(overrides, "overrides must not be null (use Map.of())");
    requirePort("port", port);
    requirePort("controllerPort", controllerPort);
    if (port != 0 && port == controllerPort) {
      throw new IllegalArgumentException("port and controllerPort must differ, both are " + port);
    }
    if (defaultPartitions < 1) {
      throw new IllegalArgumentException(
          "defaultPartitions must be at least 1, was " + defaultPartitions);
    }
    for (String key : overrides.keySet()) {
      if (RESERVED_KEYS.contains(key)) {
        throw new IllegalArgumentException(
            "override '"
                + key
                + "' is set by the embedded broker itself; reserved: "
                + RESERVED_KEYS);
      }
    }
    dataDir = dataDir.toAbsolutePath().normalize();
    overrides = Map.copyOf(overrides);
  }

  /** Free loopback ports, {@value #DEFAULT_PARTITIONS} partitions per topic, no overrides. */
  public static BrokerConfig defaults(Path dataDir) {
    return new BrokerConfig(dataDir, 0, 0, DEFAULT_PARTITIONS, Map.of());
  }

  private static void requirePort(String name, int value) {
    if (value < 0 || value > 65_535) {
      throw new IllegalArgumentException(
          name + " must be in 0..65535 (0 = any free), was " + value);
    }
  }
}
