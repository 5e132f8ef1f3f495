package streaminfer.codec;

import java.io.OutputStream;
import java.util.Arrays;

/** An unsynchronized ByteArrayOutputStream for one thread's encoder. */
final class ByteSink extends OutputStream {
  private byte[] buffer;
  private int count;

  ByteSink(int initialCapacity) {
    buffer = new byte[initialCapacity];
  }

  @Override
  public void write(int b) {
    ensure(1);
    buffer[count++] = (byte) b;
  }

  @Override
  public void write(byte[] bytes, int offset, int length) {
    ensure(length);
    System.arraycopy(bytes, offset, buffer, count, length);
    count += length;
  }

  void reset() {
    count = 0;
  }

  int capacity() {
    return buffer.length;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buffer, count);
  }

  private void ensure(int extra) {
    int needed = count + extra;
    if (needed > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(needed, buffer.length * 2));
    }
  }
}
