package streaminfer.stream;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.kafka.client.producer.KafkaHeader;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;

class OutputSizeLimitsTest {
  private final OutputSizeLimits limits = new OutputSizeLimits(Map.of("small", 1_024), 4_096);

  @Test
  void refusesAnOutputOverItsTopicsLimitNamingIt() {
    RecordTooLargeException refused = limits.check("small", "k", new byte[1_000], List.of());
    assertTrue(
        refused.getMessage().contains("small's max.message.bytes (1024)"), refused.getMessage());
    assertNull(limits.check("small", "k", new byte[800], List.of()));
  }

  @Test
  void refusesAnOutputOverTheProducersRequestSizeOnAnyTopic() {
    RecordTooLargeException refused = limits.check("big", "k", new byte[4_050], List.of());
    assertTrue(refused.getMessage().contains("max.request.size (4096)"), refused.getMessage());
    assertNull(limits.check("big", "k", new byte[3_900], List.of()));
  }

  @Test
  void countsHeadersAndKey() {
    List<KafkaHeader> trace = List.of(KafkaHeader.header("traceparent", "x".repeat(200)));
    assertNull(limits.check("small", null, new byte[800], List.of()));
    assertTrue(limits.check("small", "k".repeat(100), new byte[800], trace) != null);
  }
}
