package streaminfer.family.guesswhat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.IntSupplier;

/**
 * Meters of the dialogue pipeline: games held, turns refused, redelivered turns answered from the
 * stored reply, and evictions by cause.
 */
public final class DialogueMetrics {
  private final MeterRegistry registry;
  private final Counter refused;
  private final Counter replayed;

  public DialogueMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.refused = registry.counter("streaminfer.dialogue.turns.refused");
    this.replayed = registry.counter("streaminfer.dialogue.turns.replayed");
  }

  void gamesHeld(IntSupplier games) {
    // A gauge holds its object weakly by default; the supplier lives nowhere else.
    Gauge.builder("streaminfer.dialogue.games", games, IntSupplier::getAsInt)
        .strongReference(true)
        .register(registry);
  }

  void refused() {
    refused.increment();
  }

  void replayed() {
    replayed.increment();
  }

  void evicted(String cause) {
    registry.counter("streaminfer.dialogue.games.evicted", "cause", cause).increment();
  }
}
