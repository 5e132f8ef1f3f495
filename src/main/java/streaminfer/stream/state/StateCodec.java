package streaminfer.stream.state;

/**
 * How a store's values become the bytes of its changelog and back. Stores keep decoded values in
 * memory, so a value is decoded once per restore, not once per read.
 */
public interface StateCodec<V> {
  byte[] encode(V value);

  /** Throws for bytes it cannot read; the restore then drops that key (and logs it). */
  V decode(byte[] bytes);

  /** Values that are bytes already. */
  StateCodec<byte[]> BYTES =
      new StateCodec<>() {
        @Override
        public byte[] encode(byte[] value) {
          return value;
        }

        @Override
        public byte[] decode(byte[] bytes) {
          return bytes;
        }
      };
}
