package streaminfer.codec;

import java.io.IOException;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.Decoder;
import org.apache.avro.specific.SpecificData;

/**
 * Reads a body written with exactly the reader's schema (same fingerprint, the common case)
 * straight off the binary decoder. Avro's resolving reader spends ~10 ns of grammar bookkeeping per
 * array element, which dominates a 9,520-float record; with nothing to resolve it is waste. Only
 * for schemas without logical types ({@link #supports}); others use the resolving reader.
 * Stateless, so safe to share across threads.
 */
final class DirectDatumReader<T> implements DatumReader<T> {
  private static final String JAVA_STRING_PROP = "avro.java.string";
  // Like FloatList: a corrupt block count must not pre-allocate more than this many slots.
  private static final int MAX_PRESIZE = 1 << 16;

  private final Schema schema;
  private final SpecificData data;

  DirectDatumReader(Schema schema, SpecificData data) {
    if (!supports(schema)) {
      throw new IllegalArgumentException("schema has logical types: " + schema.getFullName());
    }
    this.schema = schema;
    this.data = data;
  }

  /** Whether this reader can read {@code schema}: anything but logical types (conversions). */
  static boolean supports(Schema schema) {
    return supports(schema, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
  }

  private static boolean supports(Schema schema, Set<Schema> seen) {
    if (schema.getLogicalType() != null || !seen.add(schema)) {
      return schema.getLogicalType() == null;
    }
    return switch (schema.getType()) {
      case RECORD -> schema.getFields().stream().allMatch(f -> supports(f.schema(), seen));
      case ARRAY -> supports(schema.getElementType(), seen);
      case MAP -> supports(schema.getValueType(), seen);
      case UNION -> schema.getTypes().stream().allMatch(s -> supports(s, seen));
      default -> true;
    };
  }

  @Override
  public void setSchema(Schema schema) {
    throw new UnsupportedOperationException("the schema is fixed at construction");
  }

  @Override
  @SuppressWarnings("unchecked")
  public T read(T reuse, Decoder in) throws IOException {
    return (T) read(schema, in);
  }

  private Object read(Schema s, Decoder in) throws IOException {
    switch (s.getType()) {
      case RECORD:
        IndexedRecord record = (IndexedRecord) data.newRecord(null, s);
        for (Schema.Field field : s.getFields()) {
          record.put(field.pos(), read(field.schema(), in));
        }
        return record;
      case ENUM:
        return data.createEnum(s.getEnumSymbols().get(in.readEnum()), s);
      case ARRAY:
        return s.getElementType().getType() == Schema.Type.FLOAT
            ? FloatList.readFrom(in)
            : readArray(s, in);
      case MAP:
        return readMap(s, in);
      case UNION:
        return read(s.getTypes().get(in.readIndex()), in);
      case FIXED:
        byte[] fixed = new byte[s.getFixedSize()];
        in.readFixed(fixed);
        return data.createFixed(null, fixed, s);
      case STRING:
        return readString(s, in);
      case BYTES:
        return in.readBytes(null);
      case INT:
        return in.readInt();
      case LONG:
        return in.readLong();
      case FLOAT:
        return in.readFloat();
      case DOUBLE:
        return in.readDouble();
      case BOOLEAN:
        return in.readBoolean();
      case NULL:
        in.readNull();
        return null;
      default:
        throw new IllegalStateException("unknown Avro type " + s.getType());
    }
  }

  private static Object readString(Schema s, Decoder in) throws IOException {
    // Classes compiled with stringType String mark their strings; others expect Utf8.
    return "String".equals(s.getProp(JAVA_STRING_PROP)) ? in.readString() : in.readString(null);
  }

  private GenericData.Array<Object> readArray(Schema s, Decoder in) throws IOException {
    long blockSize = in.readArrayStart();
    GenericData.Array<Object> array =
        new GenericData.Array<>((int) Math.min(blockSize, MAX_PRESIZE), s);
    while (blockSize > 0) {
      for (long i = 0; i < blockSize; i++) {
        array.add(read(s.getElementType(), in));
      }
      blockSize = in.arrayNext();
    }
    return array;
  }

  private Map<Object, Object> readMap(Schema s, Decoder in) throws IOException {
    long blockSize = in.readMapStart();
    Map<Object, Object> map = new HashMap<>();
    while (blockSize > 0) {
      for (long i = 0; i < blockSize; i++) {
        Object key = readString(s, in);
        map.put(key, read(s.getValueType(), in));
      }
      blockSize = in.mapNext();
    }
    return map;
  }
}
