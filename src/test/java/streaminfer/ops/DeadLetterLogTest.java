package streaminfer.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import streaminfer.stream.DeadLetters;
import streaminfer.stream.ModelFailure;

class DeadLetterLogTest {
  private final DeadLetterLog log =
      new DeadLetterLog(3, Clock.fixed(Instant.parse("2026-11-30T16:00:00Z"), ZoneOffset.UTC));

  @Test
  void describesADeadLetterFromTheHeadersItWasSentWith() {
    log.add(
        "cams",
        "cam-1",
        DeadLetters.headers(
            "cams",
            "frames",
            2,
            41,
            new ModelFailure("det/3", new IllegalArgumentException("no pixels"))));

    DeadLetterLog.Entry entry = log.latest().get(0);
    assertEquals("cam-1", entry.key());
    assertEquals("frames/2@41", entry.source());
    assertEquals("IllegalArgumentException", entry.error());
    assertEquals("no pixels", entry.message());
    assertEquals("det/3", entry.modelVersion());
  }

  @Test
  void keepsOnlyTheLatestFewAndCutsLongTexts() {
    for (int i = 0; i < 10; i++) {
      log.add(
          "cams",
          "k" + i,
          DeadLetters.headers("cams", "in", 0, i, new IllegalStateException("x".repeat(5000))));
    }
    List<DeadLetterLog.Entry> latest = log.latest();
    assertEquals(List.of("k7", "k8", "k9"), latest.stream().map(DeadLetterLog.Entry::key).toList());
    assertTrue(latest.get(0).message().length() <= DeadLetterLog.MAX_TEXT);
  }
}
