package streaminfer.family.guesswhat;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * How the dialogue pipeline keeps games.
 *
 * @param kafka Kafka client properties (bootstrap, security) for the state topic's clients
 * @param repliesTopic where eviction notices go (the pipeline's output topic)
 * @param stateTopic the compacted topic of game states
 * @param idleLimit a game without a turn this long is evicted
 * @param maxGames games kept at most; the least recently active beyond it are evicted
 */
public record DialogueSettings(
    Map<String, String> kafka,
    String repliesTopic,
    String stateTopic,
    Duration idleLimit,
    int maxGames,
    Clock clock) {

  public DialogueSettings {
    kafka = Map.copyOf(kafka);
    if (idleLimit.isNegative() || idleLimit.isZero()) {
      throw new IllegalArgumentException("the idle limit must be positive, was " + idleLimit);
    }
    if (maxGames < 1) {
      throw new IllegalArgumentException("maxGames must be at least 1, was " + maxGames);
    }
  }
}
