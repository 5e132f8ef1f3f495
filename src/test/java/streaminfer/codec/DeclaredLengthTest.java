package streaminfer.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeout;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import streaminfer.v1.GenePanel;

/**
 * Tiny records that declare huge strings, byte strings, arrays and maps: each must fail fast with a
 * {@link CodecException} naming the field, the claim and the bytes left, without allocating what it
 * claims, on the direct reader and on the resolving reader alike.
 */
class DeclaredLengthTest {
  private static final long HUGE_LENGTH = Integer.MAX_VALUE; // 2^31 - 1 bytes
  private static final long HUGE_COUNT = 1L << 30; // items or entries
  // Big enough that allocating the claim shows, small enough to fit the test heap if it is made.
  private static final long ALLOCATABLE_LENGTH = 1L << 26;
  private static final long ALLOCATABLE_COUNT = 1L << 24;
  private static final long MAX_ALLOCATED_BYTES = 4L << 20;
  private static final byte[] FILLER = {1, 2, 3};

  /** What a planted claim is: the first field of this kind in a record gets it. */
  enum Kind {
    STRING,
    BYTES,
    FLOAT_ARRAY,
    ARRAY,
    MAP;

    boolean matches(Schema s) {
      return switch (this) {
        case STRING -> s.getType() == Schema.Type.STRING;
        case BYTES -> s.getType() == Schema.Type.BYTES;
        case FLOAT_ARRAY ->
            s.getType() == Schema.Type.ARRAY && s.getElementType().getType() == Schema.Type.FLOAT;
        case ARRAY ->
            s.getType() == Schema.Type.ARRAY && s.getElementType().getType() != Schema.Type.FLOAT;
        case MAP -> s.getType() == Schema.Type.MAP;
      };
    }

    long huge() {
      return this == STRING || this == BYTES ? HUGE_LENGTH : HUGE_COUNT;
    }

    long allocatable() {
      return this == STRING || this == BYTES ? ALLOCATABLE_LENGTH : ALLOCATABLE_COUNT;
    }
  }

  /** Every (v1 record type, kind) where the type has such a field outside an array. */
  static Stream<Arguments> everyClaimInEveryV1Record() {
    List<Arguments> cases = new ArrayList<>();
    for (Schema schema : WriterSchemas.V1) {
      for (Kind kind : Kind.values()) {
        if (contains(schema, kind, identitySet())) {
          cases.add(Arguments.of(schema.getName(), kind));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("everyClaimInEveryV1Record")
  void rejectsAHugeClaimQuicklyOnTheDirectReader(String type, Kind kind) {
    Schema schema = v1(type);
    Planted planted = plant(schema, kind, kind.huge());
    AvroCodec<SpecificRecord> codec = codec(schema, WriterSchemas.v1());
    byte[] payload = payload(schema, planted.body());

    CodecException e =
        assertTimeout(
            Duration.ofSeconds(2),
            () -> assertThrows(CodecException.class, () -> decode(codec, payload)));

    assertNamesTheClaim(e, planted, kind.huge());
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("everyClaimInEveryV1Record")
  void rejectsAHugeClaimQuicklyOnTheResolvingReader(String type, Kind kind) {
    Schema reader = v1(type);
    Schema writer = withExtraField(reader, Schema.create(Schema.Type.NULL), "laterField");
    WriterSchemas schemas = WriterSchemas.v1();
    schemas.register(writer);
    Planted planted = plant(writer, kind, kind.huge());
    AvroCodec<SpecificRecord> codec = codec(reader, schemas);
    byte[] payload = payload(writer, planted.body());

    CodecException e =
        assertTimeout(
            Duration.ofSeconds(2),
            () -> assertThrows(CodecException.class, () -> decode(codec, payload)));

    assertNamesTheClaim(e, planted, kind.huge());
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("everyClaimInEveryV1Record")
  void doesNotAllocateWhatATinyRecordClaimsOnEitherReader(String type, Kind kind) {
    Schema reader = v1(type);
    Schema writer = withExtraField(reader, Schema.create(Schema.Type.NULL), "laterField");
    WriterSchemas schemas = WriterSchemas.v1();
    schemas.register(writer);
    AvroCodec<SpecificRecord> codec = codec(reader, schemas);
    for (Schema written : List.of(reader, writer)) {
      byte[] payload = payload(written, plant(written, kind, kind.allocatable()).body());
      // The first decode resolves the writer schema; measure the second.
      assertThrows(CodecException.class, () -> decode(codec, payload));

      long allocated = allocatedBytes(() -> decode(codec, payload));

      assertTrue(
          allocated < MAX_ALLOCATED_BYTES,
          written.getFullName()
              + (written == reader ? " (direct)" : " (resolving)")
              + " allocated "
              + allocated
              + " bytes decoding a "
              + payload.length
              + "-byte record");
    }
  }

  @Test
  void rejectsAHugeMapInAWriterFieldTheReaderSkips() {
    Schema reader = GenePanel.getClassSchema();
    Schema writer =
        withExtraField(reader, Schema.createMap(Schema.create(Schema.Type.STRING)), "tags");
    WriterSchemas schemas = WriterSchemas.v1();
    schemas.register(writer);
    Planted planted = plant(writer, Kind.MAP, HUGE_COUNT);
    AvroCodec<SpecificRecord> codec = codec(reader, schemas);
    byte[] payload = payload(writer, planted.body());

    CodecException e =
        assertTimeout(
            Duration.ofSeconds(2),
            () -> assertThrows(CodecException.class, () -> decode(codec, payload)));

    assertTrue(e.getMessage().contains("claims " + HUGE_COUNT + " map entries"), e.getMessage());
    assertTrue(e.getMessage().contains("only 3 bytes are left"), e.getMessage());
  }

  @Test
  void rejectsAHugeMapOnBothReaders() throws IOException {
    Schema schema =
        new Schema.Parser()
            .parse(
                """
                {"type": "record", "name": "Tagged", "namespace": "test", "fields": [
                  {"name": "id", "type": "string"},
                  {"name": "tags", "type": {"type": "map", "values": "float"}}]}
                """);
    Planted planted = plant(schema, Kind.MAP, HUGE_COUNT);
    SpecificData data = new SpecificData();
    data.setFastReaderEnabled(false);
    List<DatumReader<Object>> readers =
        List.of(
            new DirectDatumReader<>(schema, data),
            new FloatArrayDatumReader<>(schema, schema, data));
    for (DatumReader<Object> reader : readers) {
      long allocated =
          allocatedBytes(
              () -> {
                DeclaredLengthException e =
                    assertThrows(
                        DeclaredLengthException.class,
                        () ->
                            reader.read(
                                null,
                                BoundedDecoder.over(planted.body(), 0, planted.body().length)));
                assertTrue(
                    e.getMessage()
                        .startsWith("field tags claims " + HUGE_COUNT + " map entries of at least"),
                    e.getMessage());
                assertTrue(e.getMessage().endsWith("but only 3 bytes are left"), e.getMessage());
              });
      assertTrue(allocated < MAX_ALLOCATED_BYTES, reader.getClass() + " allocated " + allocated);
    }
  }

  @Test
  void setsAvrosGlobalLimitsAsASecondNet() {
    AvroCodec.forType(GenePanel.class, WriterSchemas.v1());

    assertEquals(
        Integer.toString(AvroLimits.MAX_STRING_BYTES),
        System.getProperty("org.apache.avro.limits.string.maxLength"));
    assertEquals(
        Integer.toString(AvroLimits.MAX_BYTES),
        System.getProperty("org.apache.avro.limits.bytes.maxLength"));
    assertEquals(
        Integer.toString(AvroLimits.MAX_COLLECTION_ITEMS),
        System.getProperty("org.apache.avro.limits.collectionItems.maxLength"));
  }

  @Test
  void decodesRecordsThatUseEveryByteTheyHave() {
    AvroCodec<GenePanel> panels = AvroCodec.forType(GenePanel.class, WriterSchemas.v1());
    float[] values = new float[1000];
    Arrays.fill(values, 0.5f);
    GenePanel panel =
        GenePanel.newBuilder()
            .setSampleId("s".repeat(300))
            .setValues(Floats.view(values))
            .setModel("m")
            .build();

    assertEquals(panel, panels.decode(panels.encode(panel)));
  }

  @Test
  void keepsNoReferenceToADecodedPayloadOnTheDecodingThread() {
    AvroCodec<GenePanel> panels = AvroCodec.forType(GenePanel.class, WriterSchemas.v1());
    Schema writer =
        withExtraField(GenePanel.getClassSchema(), Schema.create(Schema.Type.NULL), "laterField");
    WriterSchemas schemas = WriterSchemas.v1();
    schemas.register(writer);
    AvroCodec<GenePanel> resolving = AvroCodec.forType(GenePanel.class, schemas);
    GenePanel big =
        GenePanel.newBuilder().setSampleId("x".repeat(1 << 20)).setValues(List.of()).build();
    byte[] direct = panels.encode(big);
    byte[] viaWriter =
        payload(writer, Arrays.copyOfRange(direct, AvroCodec.HEADER_BYTES, direct.length));

    WeakReference<byte[]> directPayload = decodeAndForget(panels, direct);
    assertTrue(collected(directPayload), "the direct path pins the last payload");
    WeakReference<byte[]> resolvedPayload = decodeAndForget(resolving, viaWriter);
    assertTrue(collected(resolvedPayload), "the resolving path pins the last payload");
  }

  private static boolean collected(WeakReference<byte[]> reference) {
    for (int i = 0; i < 20 && reference.get() != null; i++) {
      System.gc();
    }
    return reference.get() == null;
  }

  private static WeakReference<byte[]> decodeAndForget(AvroCodec<GenePanel> codec, byte[] payload) {
    byte[] copy = payload.clone();
    codec.decode(copy);
    return new WeakReference<>(copy);
  }

  // --- payloads ----------------------------------------------------------------------------

  /** A body that claims {@code claim} at {@code path}, followed by only {@link #FILLER}. */
  record Planted(byte[] body, String path) {}

  private static Planted plant(Schema record, Kind kind, long claim) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<String> path = new ArrayList<>();
    if (!write(record, kind, claim, out, path, identitySet())) {
      throw new IllegalArgumentException(record.getFullName() + " has no " + kind);
    }
    out.writeBytes(FILLER);
    return new Planted(out.toByteArray(), String.join(".", path));
  }

  /** Writes the smallest valid value of {@code s}, or the claim where it is due; true once due. */
  private static boolean write(
      Schema s,
      Kind kind,
      long claim,
      ByteArrayOutputStream out,
      List<String> path,
      Set<Schema> seen) {
    if (kind.matches(s)) {
      writeLong(out, claim);
      return true;
    }
    switch (s.getType()) {
      case RECORD -> {
        for (Schema.Field field : s.getFields()) {
          path.add(field.name());
          if (write(field.schema(), kind, claim, out, path, seen)) {
            return true;
          }
          path.remove(path.size() - 1);
        }
        return false;
      }
      case UNION -> {
        List<Schema> branches = s.getTypes();
        int chosen = 0;
        for (int i = 0; i < branches.size(); i++) {
          if (contains(branches.get(i), kind, identitySet())) {
            chosen = i;
            break;
          }
        }
        writeLong(out, chosen);
        return write(branches.get(chosen), kind, claim, out, path, seen);
      }
      case FLOAT -> out.writeBytes(new byte[4]);
      case DOUBLE -> out.writeBytes(new byte[8]);
      case FIXED -> out.writeBytes(new byte[s.getFixedSize()]);
      case NULL -> {}
      default -> out.write(0); // ints, longs, booleans, enums, empty strings, empty collections
    }
    return false;
  }

  private static boolean contains(Schema s, Kind kind, Set<Schema> seen) {
    if (kind.matches(s)) {
      return true;
    }
    return switch (s.getType()) {
      case RECORD ->
          seen.add(s) && s.getFields().stream().anyMatch(f -> contains(f.schema(), kind, seen));
      case UNION -> s.getTypes().stream().anyMatch(b -> contains(b, kind, seen));
      default -> false;
    };
  }

  private static void writeLong(ByteArrayOutputStream out, long value) {
    long zigzag = (value << 1) ^ (value >> 63);
    while ((zigzag & ~0x7FL) != 0) {
      out.write((int) ((zigzag & 0x7F) | 0x80));
      zigzag >>>= 7;
    }
    out.write((int) zigzag);
  }

  private static byte[] payload(Schema writer, byte[] body) {
    byte[] header = AvroCodec.header(WriterSchemas.fingerprint(writer));
    byte[] payload = Arrays.copyOf(header, header.length + body.length);
    System.arraycopy(body, 0, payload, header.length, body.length);
    return payload;
  }

  // --- helpers -----------------------------------------------------------------------------

  private static Schema withExtraField(Schema record, Schema type, String name) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field field : record.getFields()) {
      fields.add(new Schema.Field(field, field.schema()));
    }
    fields.add(new Schema.Field(name, type));
    return Schema.createRecord(
        record.getName(), record.getDoc(), record.getNamespace(), false, fields);
  }

  private static Schema v1(String name) {
    return WriterSchemas.V1.stream()
        .filter(s -> s.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @SuppressWarnings("unchecked")
  private static AvroCodec<SpecificRecord> codec(Schema schema, WriterSchemas schemas) {
    return AvroCodec.forType((Class<SpecificRecord>) SpecificData.get().getClass(schema), schemas);
  }

  private static void decode(AvroCodec<SpecificRecord> codec, byte[] payload) {
    codec.decode(payload);
  }

  private static void assertNamesTheClaim(CodecException e, Planted planted, long claim) {
    String message = e.getMessage();
    assertTrue(message.contains("field " + planted.path() + " claims "), message);
    assertTrue(message.contains(" " + claim + " "), message);
    assertTrue(message.contains("but only 3 bytes are left"), message);
  }

  /** Bytes this thread allocated running {@code decode}, which is expected to throw. */
  private static long allocatedBytes(Runnable decode) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(thread);
    try {
      decode.run();
    } catch (CodecException expected) {
      // The claim is refused; what counts is what it cost.
    }
    return threads.getThreadAllocatedBytes(thread) - before;
  }

  private static Set<Schema> identitySet() {
    return Collections.newSetFromMap(new IdentityHashMap<>());
  }
}
