package streaminfer.codec;

import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.PrimitivesArrays;
import org.apache.avro.io.Encoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Avro 1.12's writer boxes every element of an {@code array<float>} through an iterator, even for
 * its own float[]-backed {@link PrimitivesArrays.FloatArray}; this one writes float[]-backed lists
 * element by element as primitives. Stateless after construction, so safe to share across threads.
 */
final class FloatArrayDatumWriter<T> extends SpecificDatumWriter<T> {
  FloatArrayDatumWriter(Schema schema, SpecificData data) {
    super(schema, data);
  }

  @Override
  protected void writeArray(Schema schema, Object datum, Encoder out) throws IOException {
    if (schema.getElementType().getType() != Schema.Type.FLOAT) {
      super.writeArray(schema, datum, out);
    } else if (datum instanceof FloatList floats) {
      int size = floats.size();
      out.writeArrayStart();
      out.setItemCount(size);
      for (int i = 0; i < size; i++) {
        out.startItem();
        out.writeFloat(floats.getFloat(i));
      }
      out.writeArrayEnd();
    } else if (datum instanceof PrimitivesArrays.FloatArray floats) {
      int size = floats.size();
      out.writeArrayStart();
      out.setItemCount(size);
      for (int i = 0; i < size; i++) {
        out.startItem();
        out.writeFloat(floats.getFloat(i));
      }
      out.writeArrayEnd();
    } else {
      super.writeArray(schema, datum, out);
    }
  }
}
