package streaminfer.codec;

import java.util.List;
import java.util.Objects;
import org.apache.avro.generic.PrimitivesArrays;

/**
 * Float arrays without boxing on the hot path. A D-GEX record carries 9,520 floats; boxing each one
 * on encode and decode costs more than the rest of the codec together.
 */
public final class Floats {
  private Floats() {}

  /**
   * A fixed-size list view of {@code values}, no copy: set it as an {@code array<float>} field of
   * an output record and {@link AvroCodec} writes the floats straight from the array. Do not change
   * the array until the record is encoded.
   */
  public static List<Float> view(float[] values) {
    return new FloatList(values);
  }

  /** A new {@code float[]} with the list's values; memory copy for lists the codec decoded. */
  public static float[] toArray(List<Float> values) {
    float[] result = new float[values.size()];
    copyTo(values, result, 0);
    return result;
  }

  /**
   * Copies the list's values into {@code destination} from {@code offset}, e.g. one row of a batch
   * tensor, without an intermediate array.
   *
   * @throws IndexOutOfBoundsException if the values do not fit
   * @throws NullPointerException if a list of another kind holds a null element
   */
  public static void copyTo(List<Float> values, float[] destination, int offset) {
    Objects.checkFromIndexSize(offset, values.size(), destination.length);
    if (values instanceof FloatList floats) {
      floats.copyTo(destination, offset);
    } else if (values instanceof PrimitivesArrays.FloatArray floats) {
      // Avro's own float[]-backed list keeps its array private; getFloat at least avoids boxing.
      int size = floats.size();
      for (int i = 0; i < size; i++) {
        destination[offset + i] = floats.getFloat(i);
      }
    } else {
      int i = offset;
      for (Float value : values) {
        destination[i++] = value;
      }
    }
  }
}
