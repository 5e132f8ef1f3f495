package streaminfer.compare;

/** Which of the two result topics a record came from. */
public enum Side {
  /** {@code --a}: the reference, e.g. the model version in production. */
  A,
  /** {@code --b}: the candidate, e.g. the model version about to roll out. */
  B
}
