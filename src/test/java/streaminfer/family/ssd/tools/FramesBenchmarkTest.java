package streaminfer.family.ssd.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import streaminfer.batch.BatchConfig;
import streaminfer.broker.KafkaBroker;

/**
 * A miniature of {@code bench frames} on a real broker and the shipped SSD: every phase runs to the
 * end and prints its table; the figures themselves are for the benchmark, not for a test.
 */
class FramesBenchmarkTest {
  @RegisterExtension final KafkaBroker broker = new KafkaBroker();

  @Test
  void printsTheRawSweepALiveRunAndOneRatioPerSaturationRound() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new FramesBenchmark(
            new FramesBenchmark.Options(
                broker.bootstrapServers(),
                Path.of("models"),
                0.05,
                1,
                30,
                List.of(1),
                300,
                100,
                new BatchConfig(8, 5, 256, 2),
                1,
                1,
                500,
                3,
                2),
            new PrintStream(bytes, true, StandardCharsets.UTF_8))
        .run();
    String report = bytes.toString(StandardCharsets.UTF_8);
    for (int batch = 1; batch <= 32; batch *= 2) {
      assertTrue(report.contains("raw ORT, batch " + batch + " "), report);
    }
    // The live run: one stream at 30 fps for a second, no frame missing (the output rate is
    // measured over the outputs' own span, so it is near 30, not exactly 30).
    assertTrue(
        report
            .lines()
            .anyMatch(
                line ->
                    line.matches(
                        "1\\s+30\\.0\\s+[\\d.]+\\s+[\\d.]+\\s+[\\d.]+\\s+[\\d.]+\\s+\\d+\\s+0\\s+.*")),
        report);
    Matcher rounds = Pattern.compile("(?m)^([12])\\s+([\\d.]+)\\s.*\\s([\\d.]+)%$").matcher(report);
    int seen = 0;
    while (rounds.find()) {
      seen++;
      double ratio = Double.parseDouble(rounds.group(3));
      // A ratio, not a performance claim: raw ORT and the engine share a machine that other
      // work may slow at any moment (a starved raw run makes the engine look faster than it).
      assertTrue(
          ratio > 0 && Double.isFinite(ratio), "round " + rounds.group(1) + ": " + ratio + "%");
    }
    assertEquals(2, seen, report);
    assertTrue(report.contains("mean of rounds"), report);
  }
}
