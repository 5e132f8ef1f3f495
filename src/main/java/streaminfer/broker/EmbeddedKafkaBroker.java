package streaminfer.broker;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.security.scram.ScramLoginModule;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) running in this JVM,
 * listening on 127.0.0.1 only: PLAINTEXT always, and optionally SASL_PLAINTEXT with SCRAM users and
 * SSL, each on a port of its own.
 *
 * <p>The data directory is formatted once, on first start; later starts reuse its cluster id and
 * records. {@link #start} returns only once the broker answers an admin request, and, with a SCRAM
 * listener, once the first configured user can log in on it.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

  private static final int NODE_ID = 1;
  private static final String LOOPBACK = "127.0.0.1";
  private static final String CLIENT_LISTENER = "PLAINTEXT";
  private static final String SASL_LISTENER = "SASL_PLAINTEXT";
  private static final String TLS_LISTENER = "SSL";
  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final String META_PROPERTIES = "meta.properties";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration PROBE_INTERVAL = Duration.ofMillis(100);

  private final KafkaRaftServer server;
  private final String bootstrapServers;
  private final Optional<String> saslBootstrapServers;
  private final Optional<String> tlsBootstrapServers;
  private final Optional<ScramListener> scram;
  private final String clusterId;
  private final Path dataDir;
  // close() may race between a shutdown hook and the owning thread; only the first one stops Kafka.
  private boolean closed;

  private EmbeddedKafkaBroker(
      KafkaRaftServer server,
      Listeners listeners,
      Optional<ScramListener> scram,
      String clusterId,
      Path dataDir) {
    this.server = server;
    this.bootstrapServers = listeners.plaintext();
    this.saslBootstrapServers = listeners.sasl();
    this.tlsBootstrapServers = listeners.tls();
    this.scram = scram;
    this.clusterId = clusterId;
    this.dataDir = dataDir;
  }

  /** Where each client listener is, as {@code 127.0.0.1:port}. */
  private record Listeners(
      String plaintext, int controllerPort, Optional<String> sasl, Optional<String> tls) {}

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
    Listeners listeners =
        new Listeners(
            address(port(config.port(), dataDir)),
            port(config.controllerPort(), dataDir),
            config.scram().map(sasl -> address(port(sasl.port(), dataDir))),
            config.tls().map(tls -> address(port(tls.port(), dataDir))));
    KafkaConfig kafkaConfig;
    try {
      kafkaConfig = new KafkaConfig(properties(config, listeners), false);
    } catch (RuntimeException e) {
      throw new BrokerStartException(dataDir, "has an invalid configuration", e);
    }
    String clusterId = formatOnce(dataDir);
    String bootstrap = listeners.plaintext();

    KafkaRaftServer server;
    try {
      server = new KafkaRaftServer(kafkaConfig, Time.SYSTEM);
    } catch (RuntimeException e) {
      throw new BrokerStartException(dataDir, "could not load its storage", e);
    }
    try {
      server.startup();
      awaitServing(
          Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), clusterId, dataDir);
      if (config.scram().isPresent()) {
        ScramListener sasl = config.scram().get();
        storeScramCredentials(bootstrap, sasl, dataDir);
        // The broker learns of credentials from the metadata log a moment after the controller
        // accepts them; a login per mechanism proves they arrived.
        String user = sasl.users().keySet().iterator().next();
        for (ScramMechanism mechanism : sasl.mechanisms()) {
          awaitServing(
              saslClientProperties(listeners.sasl().orElseThrow(), user, mechanism, sasl),
              clusterId,
              dataDir);
        }
      }
    } catch (RuntimeException e) {
      stop(server);
      throw e instanceof BrokerStartException
          ? e
          : new BrokerStartException(dataDir, "failed to start", e);
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    LOG.info(
        "Kafka broker serving at {}{}{} (cluster {}, data {}, started in {} ms)",
        bootstrap,
        listeners.sasl().map(a -> ", SASL_PLAINTEXT " + a).orElse(""),
        listeners.tls().map(a -> ", SSL " + a).orElse(""),
        clusterId,
        dataDir,
        millis);
    return new EmbeddedKafkaBroker(server, listeners, config.scram(), clusterId, dataDir);
  }

  /** {@code host:port} of the PLAINTEXT listener, for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * {@code host:port} of the SASL_PLAINTEXT (SCRAM) listener.
   *
   * @throws IllegalStateException if the broker was started without {@link
   *     BrokerConfig#withSaslScram}
   */
  public String saslBootstrapServers() {
    return saslBootstrapServers.orElseThrow(
        () ->
            new IllegalStateException("broker has no SASL listener (BrokerConfig.withSaslScram)"));
  }

  /**
   * {@code host:port} of the SSL listener.
   *
   * @throws IllegalStateException if the broker was started without {@link BrokerConfig#withTls}
   */
  public String tlsBootstrapServers() {
    return tlsBootstrapServers.orElseThrow(
        () -> new IllegalStateException("broker has no TLS listener (BrokerConfig.withTls)"));
  }

  /**
   * Client properties that log in to the SASL listener as {@code user} with {@code mechanism}:
   * {@code bootstrap.servers}, {@code security.protocol}, {@code sasl.mechanism} and {@code
   * sasl.jaas.config}.
   *
   * @throws IllegalArgumentException if the listener has no such user or mechanism
   */
  public Map<String, String> saslClientProperties(String user, ScramMechanism mechanism) {
    ScramListener sasl =
        scram.orElseThrow(
            () ->
                new IllegalStateException(
                    "broker has no SASL listener (BrokerConfig.withSaslScram)"));
    if (!sasl.users().containsKey(user) || !sasl.mechanisms().contains(mechanism)) {
      throw new IllegalArgumentException(
          "the SASL listener has no user '" + user + "' with " + mechanism + ": " + sasl);
    }
    return saslClientProperties(saslBootstrapServers(), user, mechanism, sasl);
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

  private static Map<String, String> saslClientProperties(
      String bootstrap, String user, ScramMechanism mechanism, ScramListener sasl) {
    return Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        bootstrap,
        AdminClientConfig.SECURITY_PROTOCOL_CONFIG,
        SASL_LISTENER,
        "sasl.mechanism",
        mechanism.mechanismName(),
        "sasl.jaas.config",
        ScramLoginModule.class.getName()
            + " required username=\""
            + jaasQuoted(user)
            + "\" password=\""
            + jaasQuoted(sasl.users().get(user))
            + "\";");
  }

  /** JAAS option values are parsed by a StreamTokenizer, which honours backslash escapes. */
  private static String jaasQuoted(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static Properties properties(BrokerConfig config, Listeners listeners) {
    Map<String, String> props = new HashMap<>();
    props.put("process.roles", "broker,controller");
    props.put("node.id", Integer.toString(NODE_ID));
    // Static voters (kraft.version 0): the voter set comes from this config on every start, so a
    // restart may bind a different controller port than the one used when formatting.
    props.put("controller.quorum.voters", NODE_ID + "@" + address(listeners.controllerPort()));
    Map<String, String> clientListeners = new LinkedHashMap<>();
    clientListeners.put(CLIENT_LISTENER, listeners.plaintext());
    listeners.sasl().ifPresent(address -> clientListeners.put(SASL_LISTENER, address));
    listeners.tls().ifPresent(address -> clientListeners.put(TLS_LISTENER, address));
    List<String> bound = new ArrayList<>();
    clientListeners.forEach((name, address) -> bound.add(name + "://" + address));
    List<String> advertised = new ArrayList<>(bound);
    bound.add(CONTROLLER_LISTENER + "://" + address(listeners.controllerPort()));
    props.put("listeners", String.join(",", bound));
    props.put("advertised.listeners", String.join(",", advertised));
    // Each listener is named after its protocol, so the map is the identity plus the controller.
    List<String> protocols = new ArrayList<>();
    clientListeners.keySet().forEach(name -> protocols.add(name + ":" + name));
    protocols.add(CONTROLLER_LISTENER + ":PLAINTEXT");
    props.put("listener.security.protocol.map", String.join(",", protocols));
    config.scram().ifPresent(sasl -> props.putAll(saslProperties(sasl)));
    config.tls().ifPresent(tls -> props.putAll(tlsProperties(tls)));
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
    // A crashed engine's open transaction holds read_committed readers until the broker aborts
    // it: look for timed-out transactions every second, not every ten.
    props.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    // No point waiting for more group members to join on a local broker.
    props.put("group.initial.rebalance.delay.ms", "0");
    props.putAll(config.overrides());
    Properties properties = new Properties();
    properties.putAll(props);
    return properties;
  }

  private static Map<String, String> saslProperties(ScramListener sasl) {
    String prefix = "listener.name." + SASL_LISTENER.toLowerCase(Locale.ROOT) + ".";
    Map<String, String> props = new HashMap<>();
    List<String> names = sasl.mechanisms().stream().map(ScramMechanism::mechanismName).toList();
    props.put(prefix + "sasl.enabled.mechanisms", String.join(",", names));
    // The broker side of SCRAM needs a login context per mechanism, though it has no options:
    // users and salted passwords come from the cluster metadata, not from JAAS.
    for (String name : names) {
      props.put(
          prefix + name.toLowerCase(Locale.ROOT) + ".sasl.jaas.config",
          ScramLoginModule.class.getName() + " required;");
    }
    return props;
  }

  private static Map<String, String> tlsProperties(TlsListener tls) {
    String prefix = "listener.name." + TLS_LISTENER.toLowerCase(Locale.ROOT) + ".";
    Map<String, String> props = new HashMap<>();
    props.put(prefix + "ssl.keystore.type", "PKCS12");
    props.put(prefix + "ssl.keystore.location", tls.keystore().toString());
    props.put(prefix + "ssl.keystore.password", tls.keystorePassword());
    props.put(prefix + "ssl.key.password", tls.keystorePassword());
    tls.truststore()
        .ifPresent(
            truststore -> {
              props.put(prefix + "ssl.truststore.type", "PKCS12");
              props.put(prefix + "ssl.truststore.location", truststore.toString());
              props.put(prefix + "ssl.truststore.password", tls.truststorePassword().orElseThrow());
            });
    props.put(prefix + "ssl.client.auth", tls.requireClientCertificate() ? "required" : "none");
    return props;
  }

  /**
   * Makes the stored SCRAM credentials exactly those of {@code sasl}: every user gets (or has
   * replaced) a credential per mechanism, and credentials of users or mechanisms no longer listed
   * are deleted. Goes through the PLAINTEXT listener, which has no authorizer, after every start
   * rather than through bootstrap records at format time, so changed passwords apply on restart.
   */
  private static void storeScramCredentials(String bootstrap, ScramListener sasl, Path dataDir) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      Map<String, UserScramCredentialsDescription> stored =
          admin.describeUserScramCredentials().all().get(PROBE_TIMEOUT.toMillis(), MILLISECONDS);
      // The KRaft controller refuses a request that alters one user twice, even for two
      // mechanisms (DUPLICATE_RESOURCE), so each mechanism gets a request of its own.
      for (ScramMechanism mechanism :
          List.of(ScramMechanism.SCRAM_SHA_256, ScramMechanism.SCRAM_SHA_512)) {
        List<UserScramCredentialAlteration> alterations = new ArrayList<>();
        stored.forEach(
            (user, description) -> {
              boolean held =
                  description.credentialInfos().stream().anyMatch(i -> i.mechanism() == mechanism);
              boolean wanted =
                  sasl.users().containsKey(user) && sasl.mechanisms().contains(mechanism);
              if (held && !wanted) {
                alterations.add(new UserScramCredentialDeletion(user, mechanism));
              }
            });
        if (sasl.mechanisms().contains(mechanism)) {
          ScramCredentialInfo info = new ScramCredentialInfo(mechanism, ScramListener.ITERATIONS);
          sasl.users()
              .forEach(
                  (user, password) ->
                      alterations.add(new UserScramCredentialUpsertion(user, info, password)));
        }
        if (!alterations.isEmpty()) {
          admin
              .alterUserScramCredentials(alterations)
              .all()
              .get(PROBE_TIMEOUT.toMillis(), MILLISECONDS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BrokerStartException(dataDir, "was interrupted storing SCRAM credentials", e);
    } catch (ExecutionException e) {
      throw new BrokerStartException(dataDir, "could not store SCRAM credentials", e.getCause());
    } catch (TimeoutException e) {
      throw new BrokerStartException(
          dataDir, "did not store SCRAM credentials within " + PROBE_TIMEOUT, e);
    }
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

  /**
   * Polls describeCluster with {@code clientProps} until the broker lists itself, or the start
   * deadline passes.
   */
  private static void awaitServing(
      Map<String, String> clientProps, String clusterId, Path dataDir) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    String bootstrap = clientProps.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
    Map<String, Object> adminProps = new HashMap<>(clientProps);
    adminProps.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) PROBE_TIMEOUT.toMillis());
    adminProps.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) PROBE_TIMEOUT.toMillis());
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

  private static String address(int port) {
    return LOOPBACK + ":" + port;
  }

  private static int port(int configured, Path dataDir) {
    return configured == 0 ? freeLoopbackPort(dataDir) : configured;
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
