package streaminfer.family.frames;

import java.io.IOException;
import java.nio.ByteBuffer;
import javax.imageio.stream.ImageInputStreamImpl;

/**
 * An ImageIO stream reading a buffer in place. {@code ImageIO.createImageInputStream} would copy
 * into a memory cache, or with the default {@code ImageIO.getUseCache()} into a temporary file.
 */
final class ByteBufferImageInputStream extends ImageInputStreamImpl {
  private final ByteBuffer data;

  /** Reads {@code data} from its position to its limit; the buffer itself is not moved. */
  ByteBufferImageInputStream(ByteBuffer data) {
    this.data = data.slice();
  }

  @Override
  public int read() throws IOException {
    checkClosed();
    bitOffset = 0;
    if (streamPos >= data.limit()) {
      return -1;
    }
    return data.get((int) streamPos++) & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    checkClosed();
    bitOffset = 0;
    if (len == 0) {
      return 0;
    }
    long remaining = data.limit() - streamPos;
    if (remaining <= 0) {
      return -1;
    }
    int n = (int) Math.min(len, remaining);
    data.get((int) streamPos, b, off, n);
    streamPos += n;
    return n;
  }

  @Override
  public long length() {
    return data.limit();
  }
}
