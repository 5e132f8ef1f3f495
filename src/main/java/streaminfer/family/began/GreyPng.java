package streaminfer.family.began;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.Adler32;
import java.util.zip.CRC32;

/**
 * Generator output to 8-bit grey PNG bytes by the trainer's rules ({@code exporters/began/png.py}),
 * so a seed gives the same bytes in both: pixels {@code clamp(floor((x + 1) * 127.5 + 0.5), 0,
 * 255)} in float arithmetic; one IDAT holding a zlib stream of stored (uncompressed) deflate
 * blocks, each row after a filter byte 0. Compressing would save little on 32x32 images and would
 * tie the bytes to one zlib version.
 */
public final class GreyPng {
  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  private static final int STORED_BLOCK_MAX = 65535;

  private GreyPng() {}

  /** {@code height} rows of {@code width} floats (about -1..1) to grey levels. */
  public static byte[] pixels(float[] image) {
    byte[] levels = new byte[image.length];
    for (int i = 0; i < image.length; i++) {
      float scaled = (image[i] + 1.0f) * 127.5f + 0.5f;
      levels[i] = (byte) Math.max(0, Math.min(255, (int) Math.floor(scaled)));
    }
    return levels;
  }

  public static byte[] encode(byte[] levels, int width, int height) {
    if (levels.length != width * height) {
      throw new IllegalArgumentException(
          width + "x" + height + " needs " + width * height + " levels, not " + levels.length);
    }
    byte[] raw = new byte[height * (width + 1)];
    for (int y = 0; y < height; y++) {
      System.arraycopy(levels, y * width, raw, y * (width + 1) + 1, width);
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream(raw.length + 128);
    png.writeBytes(SIGNATURE);
    chunk(png, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).array());
    chunk(png, "IDAT", storedZlib(raw));
    chunk(png, "IEND", new byte[0]);
    return png.toByteArray();
  }

  private static byte[] storedZlib(byte[] data) {
    int blocks = Math.max(1, (data.length + STORED_BLOCK_MAX - 1) / STORED_BLOCK_MAX);
    ByteBuffer out = ByteBuffer.allocate(2 + 5 * blocks + data.length + 4);
    out.put((byte) 0x78).put((byte) 0x01);
    for (int start = 0; start < Math.max(data.length, 1); start += STORED_BLOCK_MAX) {
      int length = Math.min(STORED_BLOCK_MAX, data.length - start);
      boolean last = start + STORED_BLOCK_MAX >= data.length;
      out.put((byte) (last ? 1 : 0));
      out.put((byte) length).put((byte) (length >>> 8));
      out.put((byte) ~length).put((byte) (~length >>> 8));
      out.put(data, start, length);
    }
    Adler32 adler = new Adler32();
    adler.update(data);
    out.putInt((int) adler.getValue());
    return out.array();
  }

  private static void chunk(ByteArrayOutputStream png, String type, byte[] body) {
    byte[] kind = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(kind);
    crc.update(body);
    png.writeBytes(ByteBuffer.allocate(4).putInt(body.length).array());
    png.writeBytes(kind);
    png.writeBytes(body);
    png.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
