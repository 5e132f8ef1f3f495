package streaminfer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

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
