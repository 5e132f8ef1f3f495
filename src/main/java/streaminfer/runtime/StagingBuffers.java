package streaminfer.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * One thread's direct float buffers, one per input name, grown to the largest batch seen and
 * reused: allocating and zeroing megabytes of direct memory per batch costs as much as the copy it
 * saves. Not thread-safe; a buffer handed out is valid until the same input is taken again.
 */
final class StagingBuffers {
  private final Map<String, FloatBuffer> buffers = new HashMap<>();

  /** A cleared buffer of at least {@code floats} capacity, limited to exactly {@code floats}. */
  FloatBuffer take(String input, int floats) {
    FloatBuffer buffer = buffers.get(input);
    if (buffer == null || buffer.capacity() < floats) {
      buffer =
          ByteBuffer.allocateDirect(Math.multiplyExact(floats, Float.BYTES))
              .order(ByteOrder.nativeOrder())
              .asFloatBuffer();
      buffers.put(input, buffer);
    }
    return buffer.clear().limit(floats);
  }
}
