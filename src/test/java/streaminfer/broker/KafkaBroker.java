package streaminfer.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh embedded KRaft broker for every test of a class that registers it
 * ({@code @RegisterExtension final KafkaBroker kafka = new KafkaBroker();}), in a data directory of
 * its own, removed afterwards.
 */
public final class KafkaBroker implements BeforeEachCallback, AfterEachCallback {
  private Path dataDir;
  private EmbeddedKafkaBroker broker;

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    dataDir = Files.createTempDirectory("streaminfer-test-kafka");
    broker = EmbeddedKafkaBroker.start(BrokerConfig.defaults(dataDir));
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    try {
      broker.close();
    } finally {
      try (Stream<Path> files = Files.walk(dataDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  public String bootstrapServers() {
    return broker.bootstrapServers();
  }
}
