package streaminfer.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) running in this JVM,
 * listening on 127.0.0.1 only.
 *
 * <p>The data directory is formatted once, on first start; later starts reuse its cluster id and
 * records. {@link #start} returns only once the broker answers an admin request.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

  private static final int NODE_ID = 1;
  private static final String LOOPBACK = "127.0.0.1";
  private static final String CLIENT_LISTENER = "PLAINTEXT";
  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final String META_PROPERTIES = "meta.properties";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration PROBE_INTERVAL = Duration.ofMillis(100);

  private final KafkaRaftServer server;
  private final String bootstrapServers;
  private final String clusterId;
  private final Path dataDir;
  // close() may race between a shutdown hook and the owning thread; only the first one stops Kafka.
  private boolean closed;

  private EmbeddedKafkaBroker(
      KafkaRaftServer server, String bootstrapServers, String clusterId, Path dataDir) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
    this.clusterId = clusterId;
    this.dataDir = dataDir;
  }

  /**
   * Formats {@code config.dataDir()} if it holds no broker yet, starts the broker and waits until
   * it serves clients.
   *
   * @throws BrokerStartException naming the data directory and the cause, if any step fails
   */
  public static EmbeddedKafkaBroker start(BrokerConfig config) {
    long started = System.nanoTime();
    Path dataDir = config.dataDir();
    prepareDirectory(dataDir);
    int port = config.port() == 0 ? freeLoopbackPort(dataDir) : config.port();
    int controllerPort =
        config.controllerPort() == 0 ? freeLoopbackPort(dataDir) : config.controllerPort();
    KafkaConfig kafkaConfig;
    try {
      kafkaConfig = new KafkaConfig(properties(config, port, controllerPort), false);
    } catch (RuntimeException e) {
      throw new BrokerStartException(dataDir, "has an invalid configuration", e);
    }
    String clusterId = formatOnce(dataDir);
    String bootstrap = LOOPBACK + ":" + port;

    KafkaRaftServer server;
    try {
      server = new KafkaRaftServer(kafkaConfig, Time.SYSTEM);
    } catch (RuntimeException e) {
      throw new BrokerStartException(dataDir, "could not load its storage", e);
    }
    try {
      server.startup();
      awaitServing(bootstrap, clusterId, dataDir);
    } catch (RuntimeException e) {
      stop(server);
      throw e instanceof BrokerStartException
          ? e
          : new BrokerStartException(dataDir, "failed to start", e);
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    LOG.info(
        "Kafka broker serving at {} (cluster {}, data {}, started in {} ms)",
        bootstrap,
        clusterId,
        dataDir,
        millis);
    return new EmbeddedKafkaBroker(server, bootstrap, clusterId, dataDir);
  }

  /** {@code host:port} for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The KRaft cluster id, written to {@code meta.properties} on first format and kept after. */
  public String clusterId() {
    return clusterId;
  }

  /** Shuts the broker down cleanly and waits for it; later calls do nothing. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    long started = System.nanoTime();
    stop(server);
    LOG.info(
        "Kafka broker at {} stopped in {} ms (data {})",
        bootstrapServers,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
        dataDir);
  }

  private static void stop(KafkaRaftServer server) {
    server.shutdown();
    server.awaitShutdown();
  }

  private static Properties properties(BrokerConfig config, int port, int controllerPort) {
    Map<String, String> props = new HashMap<>();
    props.put("process.roles", "broker,controller");
    props.put("node.id", Integer.toString(NODE_ID));
    // Static voters (kraft.version 0): the voter set comes from this config on every start, so a
    // restart may bind a different controller port than the one used when formatting.
    props.put("controller.quorum.voters", NODE_ID + "@" + LOOPBACK + ":" + controllerPort);
    props.put(
        "listeners",
        CLIENT_LISTENER
            + "://"
            + LOOPBACK
            + ":"
            + port
            + ","
            + CONTROLLER_LISTENER
            + "://"
            + LOOPBACK
            + ":"
            + controllerPort);
    props.put("advertised.listeners", CLIENT_LISTENER + "://" + LOOPBACK + ":" + port);
    props.put(
        "listener.security.protocol.map",
        CLIENT_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    props.put("controller.listener.names", CONTROLLER_LISTENER);
    props.put("inter.broker.listener.name", CLIENT_LISTENER);
    props.put("log.dirs", config.dataDir().toString());
    props.put("num.partitions", Integer.toString(config.defaultPartitions()));
    props.put("auto.create.topics.enable", "true");
    // One replica of everything: internal topics default to 3 replicas and would never be created.
    props.put("default.replication.factor", "1");
    props.put("min.insync.replicas", "1");
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "5");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("transaction.state.log.num.partitions", "5");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    // No point waiting for more group members to join on a local broker.
    props.put("group.initial.rebalance.delay.ms", "0");
    props.putAll(config.overrides());
    Properties properties = new Properties();
    properties.putAll(props);
    return properties;
  }

  private static void prepareDirectory(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException | RuntimeException e) {
      throw new BrokerStartException(dataDir, "cannot be created", e);
    }
    if (!Files.isWritable(dataDir)) {
      throw new BrokerStartException(dataDir, "is not writable", null);
    }
  }

  /** Formats the directory unless a previous start already did; returns its cluster id. */
  private static String formatOnce(Path dataDir) {
    Path meta = dataDir.resolve(META_PROPERTIES);
    if (Files.exists(meta)) {
      return readClusterId(meta, dataDir);
    }
    String clusterId = Uuid.randomUuid().toString();
    ByteArrayOutputStream report = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(report, true, StandardCharsets.UTF_8)) {
      new Formatter()
          .setPrintStream(out)
          .setNodeId(NODE_ID)
          .setClusterId(clusterId)
          .setControllerListenerName(CONTROLLER_LISTENER)
          .setMetadataLogDirectory(dataDir.toString())
          .addDirectory(dataDir.toString())
          // Combined mode runs a controller, which needs the bootstrap metadata snapshot.
          .setWriteBootstrapSnapshot(true)
          .setHasDynamicQuorum(false)
          .run();
    } catch (Exception e) {
      throw new BrokerStartException(dataDir, "could not be formatted", e);
    }
    LOG.info("Formatted {} for new cluster {}", dataDir, clusterId);
    LOG.debug("Formatter said: {}", report.toString(StandardCharsets.UTF_8).strip());
    return clusterId;
  }

  private static String readClusterId(Path meta, Path dataDir) {
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(meta)) {
      properties.load(in);
    } catch (IOException e) {
      throw new BrokerStartException(dataDir, "has an unreadable " + META_PROPERTIES, e);
    }
    String clusterId = properties.getProperty("cluster.id");
    if (clusterId == null || clusterId.isBlank()) {
      throw new BrokerStartException(dataDir, "has no cluster.id in " + META_PROPERTIES, null);
    }
    return clusterId;
  }

  /** Polls describeCluster until the broker lists itself, or the start deadline passes. */
  private static void awaitServing(String bootstrap, String clusterId, Path dataDir) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    Map<String, Object> adminProps =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) PROBE_TIMEOUT.toMillis(),
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) PROBE_TIMEOUT.toMillis());
    Throwable last = null;
    try (Admin admin = Admin.create(adminProps)) {
      DescribeClusterOptions options =
          new DescribeClusterOptions().timeoutMs((int) PROBE_TIMEOUT.toMillis());
      while (System.nanoTime() < deadline) {
        try {
          var cluster = admin.describeCluster(options);
          if (!cluster.nodes().get().isEmpty() && clusterId.equals(cluster.clusterId().get())) {
            return;
          }
        } catch (ExecutionException e) {
          last = e.getCause();
        }
        TimeUnit.MILLISECONDS.sleep(PROBE_INTERVAL.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BrokerStartException(dataDir, "was interrupted while starting", e);
    }
    throw new BrokerStartException(
        dataDir,
        "did not serve clients at " + bootstrap + " within " + START_TIMEOUT,
        last == null ? new TimeoutException() : last);
  }

  private static int freeLoopbackPort(Path dataDir) {
    // Kafka's bound ports are not exposed, so the port is chosen here; another process could take
    // it before Kafka binds, which would surface as a start failure naming the address.
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new BrokerStartException(dataDir, "found no free loopback port", e);
    }
  }
}
