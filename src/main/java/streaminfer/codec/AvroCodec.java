package streaminfer.codec;

import java.io.EOFException;
import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding of one record type: {@code C3 01}, the writer schema's 8-byte
 * little-endian CRC-64-AVRO fingerprint, then the binary body. Decoding resolves the writer schema
 * by fingerprint in {@link WriterSchemas}, so a v1 reader accepts compatible newer writers.
 *
 * <p>Every length and count a body declares is checked against the bytes left in it before anything
 * is allocated ({@link BoundedDecoder}), so a tiny record claiming a 2 GB string fails as a {@link
 * CodecException} naming the field, instead of taking the process down.
 *
 * <p>Thread-safe: readers and writers are shared and stateless; encoders and their buffers are per
 * thread, decoders per call.
 */
public final class AvroCodec<T extends SpecificRecord> {
  /** Magic bytes plus fingerprint. */
  public static final int HEADER_BYTES = 10;

  private static final byte MAGIC_0 = (byte) 0xC3;
  private static final byte MAGIC_1 = (byte) 0x01;
  private static final HexFormat HEX = HexFormat.ofDelimiter(" ").withUpperCase();

  static {
    AvroLimits.installDefaults();
  }

  private static final ThreadLocal<EncodeScratch> ENCODE_SCRATCH =
      ThreadLocal.withInitial(EncodeScratch::new);

  private final Class<T> type;
  private final Schema readerSchema;
  private final long readerFingerprint;
  private final byte[] header;
  private final WriterSchemas writerSchemas;
  private final SpecificData data;
  private final DatumWriter<T> writer;
  // One entry per writer fingerprint seen: its reader, or why that writer cannot be read.
  private final ConcurrentMap<Long, Resolution<T>> resolutions = new ConcurrentHashMap<>();

  private AvroCodec(Class<T> type, WriterSchemas writerSchemas) {
    this.type = type;
    this.writerSchemas = writerSchemas;
    this.data = new SpecificData(type.getClassLoader());
    // FloatArrayDatumReader overrides readArray, which the fast reader never calls.
    this.data.setFastReaderEnabled(false);
    this.readerSchema = data.getSchema(type);
    this.readerFingerprint = writerSchemas.register(readerSchema);
    this.header = header(readerFingerprint);
    this.writer = new FloatArrayDatumWriter<>(readerSchema, data);
  }

  /**
   * A codec for a record class the Avro compiler made from a schema. Its schema is registered in
   * {@code writerSchemas} (if it is not already) because that is the schema it writes with.
   */
  public static <T extends SpecificRecord> AvroCodec<T> forType(
      Class<T> type, WriterSchemas writerSchemas) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(writerSchemas, "writerSchemas");
    return new AvroCodec<>(type, writerSchemas);
  }

  /** The record type this codec reads and writes. */
  public Class<T> type() {
    return type;
  }

  /** The schema this codec writes with and reads into. */
  public Schema schema() {
    return readerSchema;
  }

  public byte[] encode(T record) {
    Objects.requireNonNull(record, "record");
    EncodeScratch scratch = ENCODE_SCRATCH.get();
    try {
      return scratch.encode(header, writer, record);
    } catch (IOException | RuntimeException e) {
      throw new CodecException(
          "cannot encode " + readerSchema.getFullName() + ": " + describe(e), e);
    }
  }

  /**
   * Decodes one single-object encoded payload.
   *
   * @throws CodecException saying what is wrong with the payload
   */
  public T decode(byte[] payload) {
    if (payload == null || payload.length == 0) {
      throw new CodecException(
          "empty payload: expected Avro single-object encoding (C3 01, 8-byte schema fingerprint,"
              + " body) of "
              + readerSchema.getFullName());
    }
    if (payload[0] != MAGIC_0 || (payload.length > 1 && payload[1] != MAGIC_1)) {
      throw new CodecException(
          "bad magic bytes "
              + HEX.formatHex(payload, 0, Math.min(2, payload.length))
              + ": expected C3 01 (Avro single-object encoding) for "
              + readerSchema.getFullName());
    }
    if (payload.length < HEADER_BYTES) {
      throw new CodecException(
          "short payload: "
              + payload.length
              + " bytes, but the single-object header alone is "
              + HEADER_BYTES
              + " bytes (C3 01 + 8-byte fingerprint)");
    }
    long fingerprint = littleEndianLong(payload, 2);
    DatumReader<T> reader = readerFor(fingerprint);
    // A fresh decoder per record: a cached one would pin the last payload (and Avro's scratch
    // buffer, sized by the biggest string seen) on every decoding thread.
    BoundedDecoder decoder =
        BoundedDecoder.over(payload, HEADER_BYTES, payload.length - HEADER_BYTES);
    T record;
    try {
      record = reader.read(null, decoder);
    } catch (IOException | RuntimeException e) {
      DeclaredLengthException oversized = findCause(e, DeclaredLengthException.class);
      if (oversized != null) {
        throw new CodecException(
            "oversized length in body for writer schema "
                + writerName(fingerprint)
                + " ("
                + (payload.length - HEADER_BYTES)
                + " body bytes): "
                + oversized.getMessage(),
            e);
      }
      Throwable eof = findCause(e, EOFException.class);
      String what = eof != null ? "truncated body" : "corrupt body";
      throw new CodecException(
          what
              + " for writer schema "
              + writerName(fingerprint)
              + " ("
              + (payload.length - HEADER_BYTES)
              + " body bytes): "
              + describe(eof != null ? eof : e),
          e);
    }
    try {
      if (!decoder.isEnd()) {
        throw new CodecException(
            "corrupt body for writer schema "
                + writerName(fingerprint)
                + ": bytes left over after the record ("
                + (payload.length - HEADER_BYTES)
                + " body bytes)");
      }
    } catch (IOException e) {
      throw new CodecException("corrupt body: " + describe(e), e);
    }
    return record;
  }

  private DatumReader<T> readerFor(long fingerprint) {
    Resolution<T> resolution = resolutions.get(fingerprint);
    if (resolution == null) {
      Schema writerSchema = writerSchemas.findByFingerprint(fingerprint);
      if (writerSchema == null) {
        // Not cached: the operator may register the schema later.
        throw new CodecException(
            "unknown writer schema fingerprint "
                + hexFingerprint(fingerprint)
                + ": no such schema among the "
                + writerSchemas.size()
                + " known (add the writer's .avsc with --schemas-dir); reading "
                + readerSchema.getFullName());
      }
      resolution = resolutions.computeIfAbsent(fingerprint, fp -> resolve(fp, writerSchema));
    }
    if (resolution.incompatibility() != null) {
      throw new CodecException(resolution.incompatibility());
    }
    return resolution.reader();
  }

  private Resolution<T> resolve(long fingerprint, Schema writerSchema) {
    SchemaCompatibility.SchemaPairCompatibility compatibility =
        SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writerSchema);
    if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      List<Incompatibility> problems = compatibility.getResult().getIncompatibilities();
      String reasons =
          problems.stream()
              .map(i -> i.getMessage() + " at " + i.getLocation())
              .collect(Collectors.joining("; "));
      return new Resolution<>(
          null,
          "incompatible writer schema "
              + writerSchema.getFullName()
              + " "
              + hexFingerprint(fingerprint)
              + " for reader "
              + readerSchema.getFullName()
              + ": "
              + reasons);
    }
    boolean identical = fingerprint == readerFingerprint;
    DatumReader<T> reader =
        identical && DirectDatumReader.supports(readerSchema)
            ? new DirectDatumReader<>(readerSchema, data)
            : new FloatArrayDatumReader<>(writerSchema, readerSchema, data);
    return new Resolution<>(reader, null);
  }

  private String writerName(long fingerprint) {
    Schema writerSchema = writerSchemas.findByFingerprint(fingerprint);
    String name = writerSchema == null ? "?" : writerSchema.getFullName();
    return name + " " + hexFingerprint(fingerprint);
  }

  static byte[] header(long fingerprint) {
    byte[] header = new byte[HEADER_BYTES];
    header[0] = MAGIC_0;
    header[1] = MAGIC_1;
    for (int i = 0; i < 8; i++) {
      header[2 + i] = (byte) (fingerprint >>> (8 * i));
    }
    return header;
  }

  private static long littleEndianLong(byte[] bytes, int offset) {
    long value = 0;
    for (int i = 7; i >= 0; i--) {
      value = (value << 8) | (bytes[offset + i] & 0xFFL);
    }
    return value;
  }

  static String hexFingerprint(long fingerprint) {
    return String.format("0x%016X", fingerprint);
  }

  private static <E extends Throwable> E findCause(Throwable e, Class<E> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null
        ? e.getClass().getSimpleName()
        : e.getClass().getSimpleName() + ": " + message;
  }

  private record Resolution<T>(DatumReader<T> reader, String incompatibility) {}

  /** Per-thread output buffer and encoder; the buffer is dropped after an unusually big record. */
  private static final class EncodeScratch {
    private static final int KEEP_BYTES = 1 << 20;

    private ByteSink sink = new ByteSink(4096);
    private BinaryEncoder encoder;

    <T> byte[] encode(byte[] header, DatumWriter<T> writer, T record) throws IOException {
      sink.reset();
      sink.write(header, 0, header.length);
      encoder = EncoderFactory.get().binaryEncoder(sink, encoder);
      try {
        writer.write(record, encoder);
        encoder.flush();
      } catch (IOException | RuntimeException e) {
        // A reused encoder would flush this record's partial bytes into the next one.
        encoder = null;
        throw e;
      }
      byte[] result = sink.toByteArray();
      if (sink.capacity() > KEEP_BYTES) {
        sink = new ByteSink(4096);
        encoder = null;
      }
      return result;
    }
  }
}
