package streaminfer.batch;

import java.time.Instant;

/**
 * A request's deadline passed while it waited for its batch: it was not run. Live inputs are worth
 * answering only for so long; a queue that grew under overload drops them here, as Triton's dynamic
 * batcher does with a queue policy's timeout.
 */
public final class ExpiredRequestException extends RuntimeException {
  public ExpiredRequestException(Instant deadline) {
    super("its deadline " + deadline + " passed while it waited for a batch");
  }
}
