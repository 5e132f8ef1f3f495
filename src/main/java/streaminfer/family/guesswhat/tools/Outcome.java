package streaminfer.family.guesswhat.tools;

/** How a game played from the terminal ended. */
enum Outcome {
  /** Someone guessed, or the person quit. */
  FINISHED,
  /** The engine evicted the game or refused its first turn; it cannot go on. */
  DROPPED
}
