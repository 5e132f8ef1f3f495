package streaminfer.broker;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
 * @param scram an extra {@code SASL_PLAINTEXT} listener with SCRAM users, if wanted
 * @param tls an extra {@code SSL} listener, if wanted
 */
public record BrokerConfig(
    Path dataDir,
    int port,
    int controllerPort,
    int defaultPartitions,
    Map<String, String> overrides,
    Optional<ScramListener> scram,
    Optional<TlsListener> tls) {

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
    Objects.requireNonNull(scram, "scram must not be null (use Optional.empty())");
    Objects.requireNonNull(tls, "tls must not be null (use Optional.empty())");
    requirePort("port", port);
    requirePort("controllerPort", controllerPort);
    requireDistinctPorts(port, controllerPort, scram, tls);
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

  /** A broker with the PLAINTEXT and controller listeners only. */
  public BrokerConfig(
      Path dataDir,
      int port,
      int controllerPort,
      int defaultPartitions,
      Map<String, String> overrides) {
    this(
        dataDir,
        port,
        controllerPort,
        defaultPartitions,
        overrides,
        Optional.empty(),
        Optional.empty());
  }

  /** Free loopback ports, {@value #DEFAULT_PARTITIONS} partitions per topic, no overrides. */
  public static BrokerConfig defaults(Path dataDir) {
    return new BrokerConfig(dataDir, 0, 0, DEFAULT_PARTITIONS, Map.of());
  }

  /** This configuration plus a SCRAM listener, replacing any it had. */
  public BrokerConfig withSaslScram(ScramListener listener) {
    return new BrokerConfig(
        dataDir, port, controllerPort, defaultPartitions, overrides, Optional.of(listener), tls);
  }

  /** This configuration plus a TLS listener, replacing any it had. */
  public BrokerConfig withTls(TlsListener listener) {
    return new BrokerConfig(
        dataDir, port, controllerPort, defaultPartitions, overrides, scram, Optional.of(listener));
  }

  private static void requireDistinctPorts(
      int port, int controllerPort, Optional<ScramListener> scram, Optional<TlsListener> tls) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("port", port);
    ports.put("controllerPort", controllerPort);
    scram.ifPresent(listener -> ports.put("SASL port", listener.port()));
    tls.ifPresent(listener -> ports.put("TLS port", listener.port()));
    List<Integer> fixed = ports.values().stream().filter(p -> p != 0).toList();
    if (fixed.size() != Set.copyOf(fixed).size()) {
      throw new IllegalArgumentException(
          "every listener needs a port of its own (0 = any free), were " + ports);
    }
  }

  static void requirePort(String name, int value) {
    if (value < 0 || value > 65_535) {
      throw new IllegalArgumentException(
          name + " must be in 0..65535 (0 = any free), was " + value);
    }
  }
}
