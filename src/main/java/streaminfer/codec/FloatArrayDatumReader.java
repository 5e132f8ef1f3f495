package streaminfer.codec;

import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.ResolvingDecoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * Reads every {@code array<float>} into a {@link FloatList} without boxing. Avro 1.12's default
 * "fast reader" builds a boxed array of {@code Float} and cannot be extended, so the {@link
 * SpecificData} given here must have the fast reader disabled for this override to run. Reads only
 * from a {@link BoundedDecoder}, so every declared length is bounded by the bytes left, and names
 * the field of a refused one. Safe to share across threads once constructed: Avro keeps the
 * resolving decoders per thread.
 */
final class FloatArrayDatumReader<T> extends SpecificDatumReader<T> {
  // What the per-thread resolving decoder holds between decodes instead of the last record's bytes.
  private static final Decoder RELEASED = BoundedDecoder.over(new byte[0], 0, 0);

  FloatArrayDatumReader(Schema writer, Schema reader, SpecificData data) {
    super(writer, reader, data);
  }

  @Override
  public T read(T reuse, Decoder in) throws IOException {
    BoundedDecoder bounded = BoundedDecoder.require(in);
    try {
      return super.read(reuse, bounded);
    } finally {
      // Avro caches the resolving decoder per thread, configured with the last input: drop it.
      getResolver(getSchema(), getExpected()).configure(RELEASED);
    }
  }

  @Override
  protected void readField(
      Object record, Schema.Field field, Object oldDatum, ResolvingDecoder in, Object state)
      throws IOException {
    try {
      super.readField(record, field, oldDatum, in, state);
    } catch (DeclaredLengthException e) {
      throw e.within(field.name());
    }
  }

  @Override
  protected Object readArray(Object old, Schema expected, ResolvingDecoder in) throws IOException {
    if (expected.getElementType().getType() != Schema.Type.FLOAT) {
      return super.readArray(old, expected, in);
    }
    return FloatList.readFrom(in);
  }
}
