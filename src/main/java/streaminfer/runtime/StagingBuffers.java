package streaminfer.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

/**
 * One thread's direct buffers, one per tensor name, grown to the largest batch seen and reused:
 * allocating and zeroing megabytes of direct memory per batch costs as much as the copy it saves.
 * Native byte order, as ORT reads and writes them. Not thread-safe; a buffer handed out is valid
 * until the same name is taken again.
 */
final class StagingBuffers {
  private final Map<String, ByteBuffer> buffers = new HashMap<>();

  /** A cleared buffer of at least {@code bytes} capacity, limited to exactly {@code bytes}. */
  ByteBuffer take(String tensor, int bytes) {
    ByteBuffer buffer = buffers.get(tensor);
    if (buffer == null || buffer.capacity() < bytes) {
      buffer = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
      buffers.put(tensor, buffer);
    }
    return buffer.clear().limit(bytes);
  }
}
