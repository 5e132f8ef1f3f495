package streaminfer.codec;

import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
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
 * for schemas without logical types ({@link #supports}); others use the resolving reader. Reads
 * only from a {@link BoundedDecoder}, and tells it the least an array item or map entry of this
 * schema takes (4 bytes a float), so a declared count is bounded by the bytes left. Immutable after
 * construction, so safe to share across threads.
 */
final class DirectDatumReader<T> implements DatumReader<T> {
  private static final String JAVA_STRING_PROP = "avro.java.string";
  // Like FloatList: a corrupt block count must not pre-allocate more than this many slots.
  private static final int MAX_PRESIZE = 1 << 16;

  private final Schema schema;
  private final SpecificData data;
  // The least bytes one item of each array (entry of each map) schema takes; read-only once built.
  private final Map<Schema, Long> itemBytes = new IdentityHashMap<>();

  DirectDatumReader(Schema schema, SpecificData data) {
    if (!supports(schema)) {
      throw new IllegalArgumentException("schema has logical types: " + schema.getFullName());
    }
    this.schema = schema;
    this.data = data;
    collectItemBytes(schema, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
  }

  private void collectItemBytes(Schema s, Set<Schema> seen) {
    if (!seen.add(s)) {
      return;
    }
    switch (s.getType()) {
      case RECORD -> s.getFields().forEach(f -> collectItemBytes(f.schema(), seen));
      case ARRAY -> {
        itemBytes.put(s, minBytes(s.getElementType(), new HashSet<>()));
        collectItemBytes(s.getElementType(), seen);
      }
      case MAP -> {
        // A key is a string: at least its one-byte length.
        itemBytes.put(s, 1 + minBytes(s.getValueType(), new HashSet<>()));
        collectItemBytes(s.getValueType(), seen);
      }
      case UNION -> s.getTypes().forEach(t -> collectItemBytes(t, seen));
      default -> {}
    }
  }

  /** The fewest bytes a value of {@code s} can be written in. */
  static long minBytes(Schema s, Set<String> recordsOnPath) {
    return switch (s.getType()) {
      case NULL -> 0;
      case FLOAT -> Float.BYTES;
      case DOUBLE -> Double.BYTES;
      case FIXED -> s.getFixedSize();
      case RECORD -> {
        if (!recordsOnPath.add(s.getFullName())) {
          yield 0; // a recursive record: its inner occurrence can be null or empty
        }
        long sum = 0;
        for (Schema.Field field : s.getFields()) {
          sum = Math.min(Integer.MAX_VALUE, sum + minBytes(field.schema(), recordsOnPath));
        }
        recordsOnPath.remove(s.getFullName());
        yield sum;
      }
      case UNION ->
          1 + s.getTypes().stream().mapToLong(t -> minBytes(t, recordsOnPath)).min().orElse(0);
      // Booleans, ints, longs, enums, string and bytes lengths, collection counts: a varint.
      default -> 1;
    };
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
    return (T) read(schema, BoundedDecoder.require(in));
  }

  private Object read(Schema s, BoundedDecoder in) throws IOException {
    switch (s.getType()) {
      case RECORD:
        IndexedRecord record = (IndexedRecord) data.newRecord(null, s);
        for (Schema.Field field : s.getFields()) {
          try {
            record.put(field.pos(), read(field.schema(), in));
          } catch (DeclaredLengthException e) {
            throw e.within(field.name());
          }
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
        if (s.getFixedSize() > in.remaining()) {
          throw new DeclaredLengthException(
              "a fixed value of " + s.getFixedSize() + " bytes", in.remaining());
        }
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

  private GenericData.Array<Object> readArray(Schema s, BoundedDecoder in) throws IOException {
    long minItemBytes = itemBytes.get(s);
    long blockSize = in.readArrayStart(minItemBytes);
    GenericData.Array<Object> array =
        new GenericData.Array<>((int) Math.min(blockSize, MAX_PRESIZE), s);
    while (blockSize > 0) {
      for (long i = 0; i < blockSize; i++) {
        array.add(read(s.getElementType(), in));
      }
      blockSize = in.arrayNext(minItemBytes);
    }
    return array;
  }

  private Map<Object, Object> readMap(Schema s, BoundedDecoder in) throws IOException {
    long minEntryBytes = itemBytes.get(s);
    long blockSize = in.readMapStart(minEntryBytes);
    Map<Object, Object> map = new HashMap<>();
    while (blockSize > 0) {
      for (long i = 0; i < blockSize; i++) {
        Object key = readString(s, in);
        map.put(key, read(s.getValueType(), in));
      }
      blockSize = in.mapNext(minEntryBytes);
    }
    return map;
  }
}
