package streaminfer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import streaminfer.batch.BatchConfig;
import streaminfer.config.ConfigException;

class BatchOptionsTest {
  private static BatchOptions parse(String... args) {
    BatchOptions options = new BatchOptions();
    new CommandLine(options).parseArgs(args);
    return options;
  }

  @Test
  void takesBatchingAndThreadsFromTheConfiguredPipelineOfTheFamily() {
    BatchOptions options = parse("--config", "streaminfer.yaml");
    assertEquals(new BatchConfig(16, 5, 128, 2), options.batchConfig("ssd"));
    assertEquals(1, options.intraOpThreads("ssd"));
    assertEquals(new BatchConfig(64, 5, 1024, 1), options.batchConfig("dgex"));
  }

  @Test
  void aFlagOverridesTheConfiguredValue() {
    BatchOptions options = parse("--config", "streaminfer.yaml", "--max-batch-size", "8");
    assertEquals(new BatchConfig(8, 5, 128, 2), options.batchConfig("ssd"));
  }

  @Test
  void withoutAFileTheDefaultsApply() {
    assertEquals(BatchConfig.defaults(), parse().batchConfig("ssd"));
    assertEquals(0, parse().intraOpThreads("ssd"));
  }

  @Test
  void aPipelineTheFileLacksIsAnError() {
    BatchOptions options = parse("--config", "streaminfer.yaml", "--pipeline", "nope");
    assertThrows(ConfigException.class, () -> options.batchConfig("ssd"));
  }
}
