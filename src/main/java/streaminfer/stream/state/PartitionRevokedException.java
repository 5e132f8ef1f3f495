package streaminfer.stream.state;

/**
 * A write for an input partition this instance does not own (any more): refused before anything was
 * sent, because another instance owns that partition's state now. The input in flight is not
 * dead-lettered: the new owner redelivers it.
 */
public final class PartitionRevokedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public PartitionRevokedException(int partition) {
    super("partition " + partition + " is not owned by this instance; nothing was written");
  }
}
