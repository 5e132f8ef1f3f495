package streaminfer.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class StreamPositionTest {
  @Test
  void readsKeywordsOffsetsAndTimes() {
    assertEquals(new StreamPosition.Earliest(), StreamPosition.parse("earliest"));
    assertEquals(new StreamPosition.Now(), StreamPosition.parse("NOW"));
    assertEquals(new StreamPosition.Offset(42), StreamPosition.parse("42"));
    assertEquals(
        new StreamPosition.Time(Instant.parse("2026-11-30T12:00:00Z")),
        StreamPosition.parse("2026-11-30T12:00:00Z"));
    assertEquals(
        new StreamPosition.Time(Instant.parse("2026-11-30T11:00:00Z")),
        StreamPosition.parse("2026-11-30T12:00:00+01:00"));
  }

  @Test
  void refusesAnythingElseNamingTheFormsItTakes() {
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> StreamPosition.parse("yesterday"));
    assertTrue(error.getMessage().contains("ISO-8601"), error.getMessage());
  }
}
