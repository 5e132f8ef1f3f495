package streaminfer.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

class DeadLettersTest {
  @Test
  void namesTheRealFailureAndTheRecordsOriginInHeaders() {
    Throwable wrapped =
        new CompletionException(new IllegalArgumentException("panel has 12 values, needs 943"));
    Map<String, String> headers =
        asMap(DeadLetters.headers("dgex", "gene-panels", 2, 41L, wrapped));
    assertEquals(IllegalArgumentException.class.getName(), headers.get(DeadLetters.ERROR_CLASS));
    assertEquals("panel has 12 values, needs 943", headers.get(DeadLetters.ERROR_MESSAGE));
    assertEquals("gene-panels", headers.get(DeadLetters.SOURCE_TOPIC));
    assertEquals("2", headers.get(DeadLetters.SOURCE_PARTITION));
    assertEquals("41", headers.get(DeadLetters.SOURCE_OFFSET));
    assertEquals("dgex", headers.get(DeadLetters.PIPELINE));
    assertFalse(headers.containsKey(DeadLetters.MODEL_VERSION), "no model ran on it");
  }

  @Test
  void namesTheModelVersionAndTheCauseWhenAModelFailed() {
    Throwable wrapped =
        new CompletionException(new ModelFailure("ssd/2", new IllegalStateException("ORT: OOM")));
    Map<String, String> headers = asMap(DeadLetters.headers("ssd", "frames", 0, 7L, wrapped));
    assertEquals("ssd/2", headers.get(DeadLetters.MODEL_VERSION));
    assertEquals(IllegalStateException.class.getName(), headers.get(DeadLetters.ERROR_CLASS));
    assertEquals("ORT: OOM", headers.get(DeadLetters.ERROR_MESSAGE));
  }

  @Test
  void usesTheExceptionItselfWhenItHasNoMessage() {
    Map<String, String> headers =
        asMap(DeadLetters.headers("p", "t", 0, 0L, new NullPointerException()));
    assertEquals("java.lang.NullPointerException", headers.get(DeadLetters.ERROR_MESSAGE));
  }

  private static Map<String, String> asMap(Iterable<Header> headers) {
    return java.util.stream.StreamSupport.stream(headers.spliterator(), false)
        .collect(Collectors.toMap(Header::key, h -> new String(h.value(), StandardCharsets.UTF_8)));
  }
}
