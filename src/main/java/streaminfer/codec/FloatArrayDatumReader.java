package streaminfer.codec;

import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.io.ResolvingDecoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * Reads every {@code array<float>} into a {@link FloatList} without boxing. Avro 1.12's default
 * "fast reader" builds a boxed array of {@code Float} and cannot be extended, so the {@link
 * SpecificData} given here must have the fast reader disabled for this override to run. Safe to
 * share across threads once constructed: Avro keeps the resolving decoders per thread.
 */
final class FloatArrayDatumReader<T> extends SpecificDatumReader<T> {
  FloatArrayDatumReader(Schema writer, Schema reader, SpecificData data) {
    super(writer, reader, data);
  }

  @Override
  protected Object readArray(Object old, Schema expected, ResolvingDecoder in) throws IOException {
    if (expected.getElementType().getType() != Schema.Type.FLOAT) {
      return super.readArray(old, expected, in);
    }
    return FloatList.readFrom(in);
  }
}
