package streaminfer.codec;

import java.io.IOException;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.Objects;
import java.util.RandomAccess;
import org.apache.avro.io.Decoder;

/**
 * A fixed-size {@code List<Float>} over a {@code float[]}, like {@link Arrays#asList} for
 * primitives: {@link #set} writes through, {@code add}/{@code remove} are unsupported. The codec
 * writes and reads it without boxing; everything else sees an ordinary list.
 */
final class FloatList extends AbstractList<Float> implements RandomAccess {
  // Past this the reader grows the array as elements arrive, so a corrupt block count cannot
  // allocate gigabytes before the body runs out.
  private static final int MAX_PRESIZE = 1 << 16;

  private float[] elements;
  private int size;

  /** Wraps {@code elements} without copying; the caller must not resize it behind our back. */
  FloatList(float[] elements) {
    this.elements = Objects.requireNonNull(elements, "elements");
    this.size = elements.length;
  }

  /**
   * Reads an Avro {@code array<float>} without boxing. A {@link
   * org.apache.avro.io.ResolvingDecoder} also promotes ints or longs written by a writer schema
   * with another element type.
   */
  static FloatList readFrom(Decoder in) throws IOException {
    // Straight off the record's bytes a float takes 4 of them; through a resolving decoder the
    // writer may have written ints (1 byte at least), which the bounded decoder below assumes.
    BoundedDecoder direct = in instanceof BoundedDecoder bounded ? bounded : null;
    long blockSize = direct != null ? direct.readArrayStart(Float.BYTES) : in.readArrayStart();
    FloatList floats = forDecoding(blockSize);
    while (blockSize > 0) {
      for (long i = 0; i < blockSize; i++) {
        floats.append(in.readFloat());
      }
      blockSize = direct != null ? direct.arrayNext(Float.BYTES) : in.arrayNext();
    }
    floats.trim();
    return floats;
  }

  /** An empty list that the decoder fills with {@link #append}. */
  static FloatList forDecoding(long expectedSize) {
    return new FloatList(new float[(int) Math.min(Math.max(expectedSize, 0), MAX_PRESIZE)], 0);
  }

  private FloatList(float[] elements, int size) {
    this.elements = elements;
    this.size = size;
  }

  void append(float value) {
    if (size == elements.length) {
      elements = Arrays.copyOf(elements, Math.max(16, size + (size >> 1)));
    }
    elements[size++] = value;
  }

  /** Shrinks the backing array to the size so that the decoded record holds no slack. */
  void trim() {
    if (size != elements.length) {
      elements = Arrays.copyOf(elements, size);
    }
  }

  float getFloat(int index) {
    Objects.checkIndex(index, size);
    return elements[index];
  }

  void copyTo(float[] destination, int offset) {
    System.arraycopy(elements, 0, destination, offset, size);
  }

  @Override
  public Float get(int index) {
    return getFloat(index);
  }

  @Override
  public Float set(int index, Float value) {
    Objects.checkIndex(index, size);
    float previous = elements[index];
    elements[index] = value;
    return previous;
  }

  @Override
  public int size() {
    return size;
  }
}
