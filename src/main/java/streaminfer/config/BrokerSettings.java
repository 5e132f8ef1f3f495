package streaminfer.config;

import java.nio.file.Path;

/**
 * The embedded single-node KRaft broker that {@code serve} may start in-process (loopback only).
 *
 * @param enabled when true, {@code bootstrap.servers} is the embedded broker's address
 * @param port 0 picks a free one
 * @param partitions partitions of the topics it creates
 */
public record BrokerSettings(boolean enabled, Path dataDir, int port, int partitions) {}
