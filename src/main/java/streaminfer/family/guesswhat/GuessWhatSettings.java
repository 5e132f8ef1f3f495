package streaminfer.family.guesswhat;

/**
 * The dialogue pipeline's own settings.
 *
 * @param stateTopic the compacted topic of game states (the engine's topic prefix is put before it)
 * @param gameIdleSeconds a game without a turn this long is evicted, with a notice
 * @param maxGames games kept at most; the least recently active beyond it are evicted
 * @param maxTurnsPerGame turns a game keeps at most: the turn that reaches it while being refused
 *     ends the game, so a client that keeps sending bad turns cannot grow its stored state
 */
public record GuessWhatSettings(
    String stateTopic, long gameIdleSeconds, int maxGames, int maxTurnsPerGame) {}
