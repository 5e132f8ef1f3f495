package streaminfer.family.guesswhat;

/** A turn the game cannot take (unknown words, a bad scene, out of sequence): an ERROR reply. */
public final class InvalidTurnException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidTurnException(String message) {
    super(message);
  }
}
