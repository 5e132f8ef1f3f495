package streaminfer.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import streaminfer.broker.BrokerConfig;
import streaminfer.broker.EmbeddedKafkaBroker;

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

  // Counted down only by tests or embedding code; a plain run ends with the JVM.
  private final CountDownLatch stopped = new CountDownLatch(1);

  @Override
  public Integer call() throws InterruptedException {
    BrokerConfig config = new BrokerConfig(dataDir, port, 0, partitions, Map.of());
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(config);
    // Ctrl-C / SIGTERM run shutdown hooks but never interrupt this thread, so the hook closes.
    Thread hook = new Thread(broker::close, "broker-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    spec.commandLine().getOut().println(broker.bootstrapServers());
    spec.commandLine().getOut().flush();
    try {
      stopped.await();
    } finally {
      removeHook(hook);
      broker.close();
    }
    return 0;
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
