package streaminfer.family.began;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import streaminfer.config.ConfigException;
import streaminfer.config.ConfigNode;

class BeganSettingsTest {
  private static ConfigNode node(String json) throws Exception {
    return new ConfigNode("pipelines[b].settings", new ObjectMapper().readTree(json));
  }

  @Test
  void defaultsNeedNoSettingsSection() throws Exception {
    assertEquals(64, new BeganModule().settings(node("{}")).maxImagesPerRequest());
    assertEquals(Optional.empty(), new BeganFramesModule().settings(node("{}")).threshold());
  }

  @Test
  void aPipelineCanSetItsOwnThreshold() throws Exception {
    assertEquals(
        Optional.of(0.25),
        new BeganFramesModule().settings(node("{\"threshold\": 0.25}")).threshold());
  }

  @Test
  void errorsNameTheKey() throws Exception {
    ConfigException threshold =
        assertThrows(
            ConfigException.class,
            () -> new BeganFramesModule().settings(node("{\"threshold\": \"high\"}")));
    assertTrue(threshold.getMessage().contains("settings.threshold"), threshold.getMessage());
    ConfigException count =
        assertThrows(
            ConfigException.class,
            () -> new BeganModule().settings(node("{\"maxImagesPerRequest\": 0}")));
    assertTrue(count.getMessage().contains("maxImagesPerRequest"), count.getMessage());
  }
}
