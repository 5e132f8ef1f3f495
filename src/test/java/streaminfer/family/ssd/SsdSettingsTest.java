package streaminfer.family.ssd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import streaminfer.config.ConfigException;
import streaminfer.config.ConfigNode;

class SsdSettingsTest {
  private static ConfigNode node(String json) throws Exception {
    return new ConfigNode("pipelines[s].settings", new ObjectMapper().readTree(json));
  }

  @Test
  void publishesFromTheModelsOwnThresholdUnlessThePipelineSetsOne() throws Exception {
    assertEquals(Optional.empty(), new SsdModule().settings(node("{}")).outputThreshold());
    assertEquals(
        Optional.of(0.6f),
        new SsdModule().settings(node("{\"outputThreshold\": 0.6}")).outputThreshold());
  }

  @Test
  void aThresholdOutsideZeroToOneIsAnErrorNamingTheKey() throws Exception {
    for (String bad : new String[] {"1.5", "-0.1", "\"high\""}) {
      ConfigException error =
          assertThrows(
              ConfigException.class,
              () -> new SsdModule().settings(node("{\"outputThreshold\": " + bad + "}")));
      assertTrue(
          error.getMessage().startsWith("pipelines[s].settings.outputThreshold"),
          error.getMessage());
    }
  }
}
