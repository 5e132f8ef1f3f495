package streaminfer.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import streaminfer.v1.GeneExpression;
import streaminfer.v1.GenePanel;

class AvroCodecTest {
  private final WriterSchemas schemas = WriterSchemas.v1();
  private final AvroCodec<GenePanel> panels = AvroCodec.forType(GenePanel.class, schemas);

  static Stream<SpecificRecord> everyV1Record() {
    return V1Samples.all().stream();
  }

  @ParameterizedTest
  @MethodSource("everyV1Record")
  <T extends SpecificRecord> void roundTripsEveryV1RecordType(T record) {
    @SuppressWarnings("unchecked")
    AvroCodec<T> codec = AvroCodec.forType((Class<T>) record.getClass(), schemas);

    T decoded = codec.decode(codec.encode(record));

    assertEquals(record, decoded);
  }

  @ParameterizedTest
  @MethodSource("everyV1Record")
  <T extends SpecificRecord> void readsEveryV1RecordTypeThroughTheResolvingReaderToo(T record)
      throws Exception {
    @SuppressWarnings("unchecked")
    AvroCodec<T> codec = AvroCodec.forType((Class<T>) record.getClass(), schemas);
    byte[] payload = codec.encode(record);
    SpecificData data = new SpecificData(record.getClass().getClassLoader());
    data.setFastReaderEnabled(false);
    FloatArrayDatumReader<T> resolving =
        new FloatArrayDatumReader<>(record.getSchema(), record.getSchema(), data);

    T decoded =
        resolving.read(
            null,
            BoundedDecoder.over(
                payload, AvroCodec.HEADER_BYTES, payload.length - AvroCodec.HEADER_BYTES));

    assertEquals(record, decoded);
  }

  @Test
  void roundTripsOptionalFieldsLeftNull() {
    GenePanel panel = GenePanel.newBuilder().setSampleId("s").setValues(List.of()).build();

    GenePanel decoded = panels.decode(panels.encode(panel));

    assertEquals(null, decoded.getModel());
    assertEquals(panel, decoded);
  }

  @Test
  void seedsTheStoreWithEveryTopLevelV1Record() {
    assertEquals(11, schemas.size());
    for (SpecificRecord record : V1Samples.all()) {
      long fingerprint = WriterSchemas.fingerprint(record.getSchema());
      assertEquals(record.getSchema(), schemas.findByFingerprint(fingerprint));
    }
  }

  @Test
  void writesTheSingleObjectHeaderWithTheWriterFingerprint() {
    byte[] payload = panels.encode(V1Samples.genePanel());

    long fingerprint = SchemaNormalization.parsingFingerprint64(GenePanel.getClassSchema());
    byte[] expected = new byte[10];
    expected[0] = (byte) 0xC3;
    expected[1] = (byte) 0x01;
    for (int i = 0; i < 8; i++) {
      expected[2 + i] = (byte) ((fingerprint >> (8 * i)) & 0xFF);
    }
    assertArrayEquals(expected, Arrays.copyOf(payload, 10));
  }

  @Test
  void interoperatesWithAvrosOwnSingleObjectEncoding() throws Exception {
    GenePanel panel = V1Samples.genePanel();
    BinaryMessageEncoder<GenePanel> avroEncoder =
        new BinaryMessageEncoder<>(SpecificData.get(), GenePanel.getClassSchema());
    BinaryMessageDecoder<GenePanel> avroDecoder =
        new BinaryMessageDecoder<>(SpecificData.get(), GenePanel.getClassSchema());

    byte[] ours = panels.encode(panel);
    ByteBuffer theirs = avroEncoder.encode(panel);

    assertArrayEquals(ours, Arrays.copyOfRange(theirs.array(), 0, theirs.limit()));
    assertEquals(panel, avroDecoder.decode(ours));
    assertEquals(panel, panels.decode(ours));
  }

  @Test
  void rejectsAnEmptyPayload() {
    CodecException e = assertThrows(CodecException.class, () -> panels.decode(new byte[0]));

    assertTrue(e.getMessage().startsWith("empty payload"), e.getMessage());
  }

  @Test
  void rejectsAPayloadShorterThanTheHeader() {
    byte[] payload = {(byte) 0xC3, 0x01, 1, 2, 3};

    CodecException e = assertThrows(CodecException.class, () -> panels.decode(payload));

    assertTrue(e.getMessage().startsWith("short payload: 5 bytes"), e.getMessage());
  }

  @Test
  void rejectsBadMagicBytes() {
    byte[] payload = panels.encode(V1Samples.genePanel());
    payload[0] = 0x7B; // '{', a JSON payload on the wrong topic
    payload[1] = 0x22;

    CodecException e = assertThrows(CodecException.class, () -> panels.decode(payload));

    assertTrue(e.getMessage().startsWith("bad magic bytes 7B 22: expected C3 01"), e.getMessage());
  }

  @Test
  void rejectsAConfluentWireFormatPayloadAsBadMagic() {
    byte[] payload = {0x00, 0, 0, 0, 42, 2, 'a'};

    CodecException e = assertThrows(CodecException.class, () -> panels.decode(payload));

    assertTrue(e.getMessage().startsWith("bad magic bytes 00 00"), e.getMessage());
  }

  @Test
  void rejectsATruncatedBody() {
    byte[] payload = panels.encode(V1Samples.genePanel());
    byte[] truncated = Arrays.copyOf(payload, payload.length - 6);

    CodecException e = assertThrows(CodecException.class, () -> panels.decode(truncated));

    assertTrue(
        e.getMessage().startsWith("truncated body for writer schema streaminfer.v1.GenePanel 0x"),
        e.getMessage());
  }

  @Test
  void rejectsTrailingBytesAfterTheRecord() {
    byte[] payload = panels.encode(V1Samples.genePanel());
    byte[] padded = Arrays.copyOf(payload, payload.length + 3);

    CodecException e = assertThrows(CodecException.class, () -> panels.decode(padded));

    assertTrue(e.getMessage().contains("bytes left over after the record"), e.getMessage());
  }

  @Test
  void rejectsACorruptBody() {
    byte[] payload = panels.encode(V1Samples.genePanel());
    // The sampleId length: zig-zag -64, a negative string length.
    payload[10] = 0x7F;

    CodecException e = assertThrows(CodecException.class, () -> panels.decode(payload));

    assertTrue(e.getMessage().contains("body for writer schema"), e.getMessage());
  }

  @Test
  void rejectsARecordWithAMissingRequiredField() {
    GenePanel panel = new GenePanel(null, List.of(1f), null);

    CodecException e = assertThrows(CodecException.class, () -> panels.encode(panel));

    assertTrue(e.getMessage().startsWith("cannot encode streaminfer.v1.GenePanel"), e.getMessage());
  }

  @Test
  void encodesNormallyAfterAFailedEncodeOnTheSameThread() {
    assertThrows(
        CodecException.class,
        () -> panels.encode(new GenePanel("s", Arrays.asList(1f, null), null)));

    GenePanel panel = V1Samples.genePanel();

    assertEquals(panel, panels.decode(panels.encode(panel)));
  }

  @Test
  void decodesAndEncodesConcurrently() throws Exception {
    AvroCodec<GeneExpression> codec = AvroCodec.forType(GeneExpression.class, schemas);
    List<Callable<Boolean>> tasks = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      float[] values = new float[1000];
      Arrays.fill(values, t);
      GeneExpression record = V1Samples.geneExpression(values);
      tasks.add(
          () -> {
            for (int i = 0; i < 200; i++) {
              if (!record.equals(codec.decode(codec.encode(record)))) {
                return false;
              }
            }
            return true;
          });
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (Future<Boolean> result : pool.invokeAll(tasks)) {
        assertTrue(result.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
