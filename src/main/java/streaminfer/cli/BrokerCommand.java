package streaminfer.cli;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.ScramMechanism;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import streaminfer.broker.BrokerConfig;
import streaminfer.broker.EmbeddedKafkaBroker;
import streaminfer.broker.ScramListener;
import streaminfer.broker.TlsListener;

/** {@code streaminfer broker}: a local Kafka for development, demos and the engine's tests. */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description = "Run a single-node KRaft Kafka broker in-process (loopback only).")
public final class BrokerCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(
      names = "--data-dir",
      defaultValue = "${java.io.tmpdir}/streaminfer-kafka",
      description =
          "Log and metadata directory; formatted on first use, reused after (default: ${DEFAULT-VALUE}).")
  private Path dataDir;

  @Option(
      names = "--port",
      defaultValue = "9092",
      description =
          "Client (PLAINTEXT) port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  private int port;

  @Option(
      names = "--partitions",
      defaultValue = "3",
      description = "Partitions of auto-created topics (default: ${DEFAULT-VALUE}).")
  private int partitions;

  @Option(
      names = "--scram-user",
      paramLabel = "NAME:PASSWORD",
      description =
          "Adds a SASL_PLAINTEXT listener (SCRAM-SHA-256 and -512) with this user; repeatable.")
  private List<String> scramUsers = List.of();

  @Option(
      names = "--sasl-port",
      defaultValue = "9093",
      description =
          "SASL_PLAINTEXT port on 127.0.0.1, with --scram-user (default: ${DEFAULT-VALUE}).")
  private int saslPort;

  @Option(
      names = "--tls-keystore",
      description = "Adds an SSL listener with this PKCS12 key and certificate.")
  private Path tlsKeystore;

  @Option(
      names = "--tls-keystore-password",
      description = "Password of --tls-keystore and of its key.")
  private String tlsKeystorePassword;

  @Option(
      names = "--tls-truststore",
      description = "PKCS12 store of trusted client certificates; makes the SSL listener mutual.")
  private Path tlsTruststore;

  @Option(names = "--tls-truststore-password", description = "Password of --tls-truststore.")
  private String tlsTruststorePassword;

  @Option(
      names = "--tls-port",
      defaultValue = "9094",
      description = "SSL port on 127.0.0.1, with --tls-keystore (default: ${DEFAULT-VALUE}).")
  private int tlsPort;

  // Counted down only by tests or embedding code; a plain run ends with the JVM.
  private final CountDownLatch stopped = new CountDownLatch(1);

  @Override
  public Integer call() throws InterruptedException {
    BrokerConfig config =
        new BrokerConfig(dataDir, port, 0, partitions, Map.of(), scramListener(), tlsListener());
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(config);
    // Ctrl-C / SIGTERM run shutdown hooks but never interrupt this thread, so the hook closes.
    Thread hook = new Thread(broker::close, "broker-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    // The PLAINTEXT address stays alone on the first line, as scripts read it.
    spec.commandLine().getOut().println(broker.bootstrapServers());
    config
        .scram()
        .ifPresent(
            s ->
                spec.commandLine()
                    .getOut()
                    .println("SASL_PLAINTEXT " + broker.saslBootstrapServers()));
    config
        .tls()
        .ifPresent(t -> spec.commandLine().getOut().println("SSL " + broker.tlsBootstrapServers()));
    spec.commandLine().getOut().flush();
    try {
      stopped.await();
    } finally {
      removeHook(hook);
      broker.close();
    }
    return 0;
  }

  private Optional<ScramListener> scramListener() {
    if (scramUsers.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> users = new LinkedHashMap<>();
    for (String user : scramUsers) {
      int colon = user.indexOf(':');
      if (colon < 1 || colon == user.length() - 1) {
        throw new ParameterException(
            spec.commandLine(), "--scram-user must be NAME:PASSWORD, both non-empty");
      }
      users.put(user.substring(0, colon), user.substring(colon + 1));
    }
    return Optional.of(
        new ScramListener(
            saslPort,
            EnumSet.of(ScramMechanism.SCRAM_SHA_256, ScramMechanism.SCRAM_SHA_512),
            users));
  }

  private Optional<TlsListener> tlsListener() {
    if (tlsKeystore == null) {
      if (tlsTruststore != null) {
        throw new ParameterException(spec.commandLine(), "--tls-truststore needs --tls-keystore");
      }
      return Optional.empty();
    }
    if (tlsKeystorePassword == null || (tlsTruststore != null && tlsTruststorePassword == null)) {
      throw new ParameterException(
          spec.commandLine(), "each --tls-keystore / --tls-truststore needs its --...-password");
    }
    return Optional.of(
        new TlsListener(
            tlsPort,
            tlsKeystore,
            tlsKeystorePassword,
            Optional.ofNullable(tlsTruststore),
            Optional.ofNullable(tlsTruststorePassword),
            tlsTruststore != null));
  }

  /** Makes a running {@link #call()} close the broker and return. */
  void stop() {
    stopped.countDown();
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException jvmAlreadyShuttingDown) {
      // The hook is running or has run; broker.close() is idempotent.
    }
  }
}
