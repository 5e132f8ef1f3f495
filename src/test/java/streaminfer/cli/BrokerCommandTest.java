package streaminfer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import streaminfer.stream.KafkaPreflight;

class BrokerCommandTest {
  @TempDir Path dataDir;

  @Test
  void printsTheBootstrapAddressServesUntilStoppedAndExitsCleanly() throws Exception {
    BrokerCommand command = new BrokerCommand();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    CommandLine cli = new CommandLine(command).setOut(new PrintWriter(new LineWriter(lines)));
    ExecutorService runner = Executors.newSingleThreadExecutor();
    try {
      Future<Integer> exit =
          runner.submit(() -> cli.execute("--data-dir", dataDir.toString(), "--port", "0"));

      String bootstrap = lines.poll(60, TimeUnit.SECONDS);
      assertNotNull(bootstrap, "no bootstrap address printed within 60 s");
      try (Admin admin =
          Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
        assertEquals(1, admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size());
      }

      command.stop();
      assertEquals(0, exit.get(30, TimeUnit.SECONDS));
    } finally {
      runner.shutdownNow();
    }
  }

  @Test
  void addsAScramListenerForTheUsersGivenAndPrintsItsAddressAfterThePlaintextOne()
      throws Exception {
    BrokerCommand command = new BrokerCommand();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    CommandLine cli = new CommandLine(command).setOut(new PrintWriter(new LineWriter(lines)));
    ExecutorService runner = Executors.newSingleThreadExecutor();
    try {
      Future<Integer> exit =
          runner.submit(
              () ->
                  cli.execute(
                      "--data-dir", dataDir.toString(),
                      "--port", "0",
                      "--sasl-port", "0",
                      "--scram-user", "alice:pa:ss"));

      assertNotNull(lines.poll(60, TimeUnit.SECONDS), "no bootstrap address printed within 60 s");
      String sasl = lines.poll(10, TimeUnit.SECONDS);
      assertNotNull(sasl, "no SASL address printed");
      assertTrue(sasl.startsWith("SASL_PLAINTEXT 127.0.0.1:"), sasl);
      Map<String, String> client =
          Map.of(
              "bootstrap.servers",
              sasl.substring(sasl.indexOf(' ') + 1),
              "security.protocol",
              "SASL_PLAINTEXT",
              "sasl.mechanism",
              "SCRAM-SHA-512",
              "sasl.jaas.config",
              "org.apache.kafka.common.security.scram.ScramLoginModule required"
                  + " username=\"alice\" password=\"pa:ss\";");
      assertNotNull(KafkaPreflight.check(client));

      command.stop();
      assertEquals(0, exit.get(30, TimeUnit.SECONDS));
    } finally {
      runner.shutdownNow();
    }
  }

  @Test
  void refusesATruststoreWithoutAKeystoreAsAUsageError() {
    CommandLine cli =
        new CommandLine(new BrokerCommand()).setErr(new PrintWriter(Writer.nullWriter()));

    int exit =
        cli.execute(
            "--data-dir",
            dataDir.toString(),
            "--tls-truststore",
            "clients.p12",
            "--tls-truststore-password",
            "pw");

    assertEquals(CommandLine.ExitCode.USAGE, exit);
  }

  /** Hands each completed line to a queue, so the test can wait on it with a deadline. */
  private static final class LineWriter extends Writer {
    private final BlockingQueue<String> lines;
    private final StringBuilder line = new StringBuilder();

    LineWriter(BlockingQueue<String> lines) {
      this.lines = lines;
    }

    @Override
    public synchronized void write(char[] chars, int offset, int length) {
      for (int i = offset; i < offset + length; i++) {
        if (chars[i] == '\n') {
          lines.add(line.toString().strip());
          line.setLength(0);
        } else {
          line.append(chars[i]);
        }
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
