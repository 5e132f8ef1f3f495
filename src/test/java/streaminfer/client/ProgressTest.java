package streaminfer.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressTest {
  @Test
  void aTerminalGetsOneLineRedrawnInPlaceWithABarRateAndEta() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (Progress progress =
        new Progress(
            "record t",
            "records",
            1_000,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            true,
            Duration.ofSeconds(5))) {
      progress.advance(250, 1_000_000);
      String line = progress.line(System.nanoTime());
      assertTrue(
          line.startsWith("record t [######..................] 250/1,000 records (25%)"), line);
      assertTrue(line.contains("1.0 MB") && line.contains("ETA"), line);
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    assertTrue(printed.startsWith("\r"), printed);
    assertEquals(1, printed.split("\n", -1).length - 1, "one line, ended once: " + printed);
  }

  @Test
  void aLogGetsPlainLinesAndAFinalOne() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (Progress progress =
        new Progress(
            "replay t",
            "records",
            0,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            false,
            Duration.ZERO)) {
      progress.advance(1, 10);
      progress.advance(1, 10);
    }
    String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(3, lines.length);
    assertTrue(lines[2].startsWith("replay t 2 records, 0.0 MB"), lines[2]);
    assertTrue(!lines[2].contains("\r") && lines[2].contains("elapsed"), lines[2]);
  }
}
