package streaminfer.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class KafkaOptionsTest {
  @TempDir Path dir;

  @Command(name = "client")
  static final class Client {
    @Mixin KafkaOptions kafka;
  }

  @Test
  void singlePropertiesOverrideTheCommandConfigFileAndBootstrapOverridesBoth() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("client.properties"),
            "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\nbootstrap.servers=file:9092\n");
    Client client = new Client();
    new CommandLine(client)
        .parseArgs(
            "--command-config", file.toString(),
            "--kafka-property", "sasl.mechanism=PLAIN",
            "--kafka-property", "client.id=me",
            "--bootstrap", "flag:9092");
    assertEquals(
        Map.of(
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "PLAIN",
            "client.id", "me",
            "bootstrap.servers", "flag:9092"),
        client.kafka.clientProperties());
  }

  @Test
  void theCommandConfigFileNamesTheBootstrapWhenTheFlagDoesNot() throws Exception {
    Path file =
        Files.writeString(dir.resolve("client.properties"), "bootstrap.servers=file:9092\n");
    Client client = new Client();
    new CommandLine(client).parseArgs("--command-config", file.toString());
    assertEquals("file:9092", client.kafka.bootstrap());
  }

  @Test
  void withoutOptionsOnlyTheDefaultBootstrapIsSet() {
    Client client = new Client();
    new CommandLine(client).parseArgs();
    assertEquals(Map.of("bootstrap.servers", "localhost:9092"), client.kafka.clientProperties());
  }
}
