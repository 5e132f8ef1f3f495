package streaminfer.codec;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A length or item count declared in a body that the body's remaining bytes cannot hold: a corrupt
 * or hostile record, refused before anything of the declared size is allocated. The readers add the
 * field names on the way out, so the message says which field claimed how much.
 */
final class DeclaredLengthException extends IOException {
  private static final long serialVersionUID = 1L;

  /** What was declared, e.g. "a string of 2147483647 bytes" or "1073741824 array items ...". */
  private final String claim;

  private final long bytesLeft;
  // Innermost field last; filled in while the exception unwinds through the readers.
  private final Deque<String> path = new ArrayDeque<>();

  DeclaredLengthException(String claim, long bytesLeft) {
    super(claim);
    this.claim = claim;
    this.bytesLeft = bytesLeft;
  }

  /** Records that the claim was made inside {@code field}; returns this, for {@code throw}. */
  DeclaredLengthException within(String field) {
    path.addFirst(field);
    return this;
  }

  @Override
  public String getMessage() {
    String where = path.isEmpty() ? "the record" : "field " + String.join(".", path);
    return where + " claims " + claim + ", but only " + bytesLeft + " bytes are left";
  }
}
