package streaminfer.codec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

/**
 * A binary decoder over one record's bytes that refuses any declared length the remaining bytes
 * cannot hold, before allocating it: a string or bytes of n bytes needs n bytes, a fixed its size,
 * an array or map block of n items at least n bytes (more where the reader knows its item type,
 * {@link #readArrayStart(long)}). Avro itself would allocate whatever a 15-byte record claims, up
 * to 2 GB. Strings are read into exactly sized arrays rather than Avro's per-decoder scratch
 * buffer, so nothing of one record outlives its decode. One per decode; not thread-safe.
 */
final class BoundedDecoder extends Decoder {
  private final BinaryDecoder in;
  // Over a byte array, available() is exactly the bytes left (the array is the decoder's buffer).
  private final InputStream source;

  private BoundedDecoder(BinaryDecoder in) {
    this.in = in;
    this.source = in.inputStream();
  }

  /** A decoder of {@code length} bytes of {@code bytes} from {@code offset}. */
  static BoundedDecoder over(byte[] bytes, int offset, int length) {
    return new BoundedDecoder(DecoderFactory.get().binaryDecoder(bytes, offset, length, null));
  }

  /** The decoder the codec readers require: they refuse one that cannot bound what it reads. */
  static BoundedDecoder require(Decoder in) {
    if (in instanceof BoundedDecoder bounded) {
      return bounded;
    }
    throw new IllegalArgumentException(
        "expected a BoundedDecoder, got "
            + (in == null ? "null" : in.getClass().getName())
            + ": declared lengths must be checked against the record's bytes");
  }

  /** Bytes of the record not read yet. */
  long remaining() throws IOException {
    return source.available();
  }

  boolean isEnd() throws IOException {
    return in.isEnd();
  }

  /** Fails unless {@code length} bytes are left; returns it as an int. */
  private int checkLength(String what, long length) throws IOException {
    if (length < 0) {
      throw new AvroRuntimeException("Malformed data. Length is negative: " + length);
    }
    long left = remaining();
    if (length > left) {
      throw new DeclaredLengthException(what + " of " + length + " bytes", left);
    }
    return (int) length;
  }

  /** Fails unless {@code count} items of at least {@code itemBytes} each fit in the bytes left. */
  private long checkItems(String what, long count, long itemBytes) throws IOException {
    if (count < 0) {
      throw new AvroRuntimeException("Malformed data. Block count is negative: " + count);
    }
    long unit = Math.max(1, itemBytes);
    long left = remaining();
    if (count > left / unit) {
      throw new DeclaredLengthException(
          count + " " + what + " of at least " + unit + (unit == 1 ? " byte" : " bytes") + " each",
          left);
    }
    return count;
  }

  /** A block's item count: negative counts are followed by the block's size in bytes. */
  private long readBlockCount() throws IOException {
    long count = in.readLong();
    if (count < 0) {
      in.readLong();
      count = -count;
    }
    return count;
  }

  /**
   * {@link #readArrayStart()} for a reader that knows each item takes at least {@code itemBytes} (4
   * for a float): a tighter bound than one byte per item.
   */
  long readArrayStart(long itemBytes) throws IOException {
    return checkItems("array items", readBlockCount(), itemBytes);
  }

  /** {@link #arrayNext()} with the item size of {@link #readArrayStart(long)}. */
  long arrayNext(long itemBytes) throws IOException {
    return checkItems("array items", readBlockCount(), itemBytes);
  }

  /** {@link #readMapStart()} for a reader that knows each entry takes at least {@code bytes}. */
  long readMapStart(long entryBytes) throws IOException {
    return checkItems("map entries", readBlockCount(), entryBytes);
  }

  /** {@link #mapNext()} with the entry size of {@link #readMapStart(long)}. */
  long mapNext(long entryBytes) throws IOException {
    return checkItems("map entries", readBlockCount(), entryBytes);
  }

  @Override
  public void readNull() throws IOException {
    in.readNull();
  }

  @Override
  public boolean readBoolean() throws IOException {
    return in.readBoolean();
  }

  @Override
  public int readInt() throws IOException {
    return in.readInt();
  }

  @Override
  public long readLong() throws IOException {
    return in.readLong();
  }

  @Override
  public float readFloat() throws IOException {
    return in.readFloat();
  }

  @Override
  public double readDouble() throws IOException {
    return in.readDouble();
  }

  @Override
  public Utf8 readString(Utf8 old) throws IOException {
    int length = checkLength("a string", in.readLong());
    Utf8 result = old != null ? old : new Utf8();
    result.setByteLength(length);
    if (length > 0) {
      in.readFixed(result.getBytes(), 0, length);
    }
    return result;
  }

  @Override
  public String readString() throws IOException {
    int length = checkLength("a string", in.readLong());
    if (length == 0) {
      return "";
    }
    byte[] bytes = new byte[length];
    in.readFixed(bytes, 0, length);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public void skipString() throws IOException {
    in.skipFixed(checkLength("a string", in.readLong()));
  }

  @Override
  public ByteBuffer readBytes(ByteBuffer old) throws IOException {
    int length = checkLength("a bytes value", in.readLong());
    ByteBuffer result;
    if (old != null && length <= old.capacity()) {
      result = old;
      result.clear();
    } else {
      result = ByteBuffer.allocate(length);
    }
    in.readFixed(result.array(), result.position(), length);
    result.limit(length);
    return result;
  }

  @Override
  public void skipBytes() throws IOException {
    in.skipFixed(checkLength("a bytes value", in.readLong()));
  }

  @Override
  public void readFixed(byte[] bytes, int start, int length) throws IOException {
    checkLength("a fixed value", length);
    in.readFixed(bytes, start, length);
  }

  @Override
  public void skipFixed(int length) throws IOException {
    in.skipFixed(checkLength("a fixed value", length));
  }

  @Override
  public int readEnum() throws IOException {
    return in.readEnum();
  }

  @Override
  public long readArrayStart() throws IOException {
    return readArrayStart(1);
  }

  @Override
  public long arrayNext() throws IOException {
    return arrayNext(1);
  }

  @Override
  public long skipArray() throws IOException {
    // Items skipped one by one cost time, not memory; bound them all the same.
    return checkItems("array items", in.skipArray(), 1);
  }

  @Override
  public long readMapStart() throws IOException {
    return readMapStart(1);
  }

  @Override
  public long mapNext() throws IOException {
    return mapNext(1);
  }

  @Override
  public long skipMap() throws IOException {
    return checkItems("map entries", in.skipMap(), 1);
  }

  @Override
  public int readIndex() throws IOException {
    return in.readIndex();
  }
}
