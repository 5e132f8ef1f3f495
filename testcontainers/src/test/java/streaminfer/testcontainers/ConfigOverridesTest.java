package streaminfer.testcontainers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigOverridesTest {
  @Test
  void aKeyPathBecomesOneUpperSnakeLevelPerDot() {
    assertEquals("STREAMINFER__OPS__BIND_ADDRESS", ConfigOverrides.variable("ops.bindAddress"));
    assertEquals(
        "STREAMINFER__EMBEDDED_BROKER__ENABLED",
        ConfigOverrides.variable("embeddedBroker.enabled"));
  }

  @Test
  void aKafkaPropertyKeepsItsDotsInsideOneLevel() {
    assertEquals(
        "STREAMINFER__KAFKA__BOOTSTRAP_SERVERS",
        ConfigOverrides.kafkaProperty("bootstrap.servers"));
  }

  @Test
  void aPipelineKeyNamesThePipelineThenItsLevels() {
    assertEquals(
        "STREAMINFER__PIPELINES__BEGAN_FRAMES__SETTINGS__THRESHOLD",
        ConfigOverrides.pipelineKey("began-frames", "settings.threshold"));
  }

  /** The README's examples are what users copy; the names made here must be those. */
  @Test
  void theNamesAreTheOnesTheReadmeShows() throws IOException {
    String readme = Files.readString(Path.of("../README.md"));
    for (String variable :
        new String[] {
          ConfigOverrides.kafkaProperty("sasl.jaas.config"),
          ConfigOverrides.variable("ops.port"),
          ConfigOverrides.pipelineKey("ssd", "batch.maxSize"),
          ConfigOverrides.pipelineKey("guesswhat", "settings.maxGames")
        }) {
      assertTrue(readme.contains(variable + "="), variable + " is not in the README's examples");
    }
  }

  @Test
  void anEmptyLevelIsRefusedHereRatherThanByTheEngineAtStartup() {
    assertThrows(IllegalArgumentException.class, () -> ConfigOverrides.variable("ops..port"));
    assertThrows(IllegalArgumentException.class, () -> ConfigOverrides.pipelineKey(" ", "device"));
  }
}
