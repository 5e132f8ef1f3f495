package streaminfer.family.guesswhat;

import java.time.Clock;
import java.time.Duration;

/**
 * How the dialogue pipeline keeps games.
 *
 * @param repliesTopic where replies and eviction notices go (the pipeline's output topic)
 * @param idleLimit a game without a turn this long is evicted
 * @param maxGames games kept at most; the least recently active beyond it are evicted
 */
public record DialogueSettings(
    String repliesTopic, Duration idleLimit, int maxGames, int maxTurnsPerGame, Clock clock) {

  public DialogueSettings {
    if (idleLimit.isNegative() || idleLimit.isZero()) {
      throw new IllegalArgumentException("the idle limit must be positive, was " + idleLimit);
    }
    if (maxTurnsPerGame < 2) {
      throw new IllegalArgumentException(
          "maxTurnsPerGame must be at least 2, was " + maxTurnsPerGame);
    }
    if (maxGames < 1) {
      throw new IllegalArgumentException("maxGames must be at least 1, was " + maxGames);
    }
  }
}
