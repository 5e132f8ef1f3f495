package streaminfer.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import streaminfer.v1.GeneExpression;
import streaminfer.v1.GenePanel;

class SchemaEvolutionTest {
  // GenePanel v1 plus a field a newer producer added, with a default as the contract requires.
  private static final String GENE_PANEL_WITH_TISSUE =
      """
      {"type": "record", "name": "GenePanel", "namespace": "streaminfer.v1", "fields": [
        {"name": "sampleId", "type": "string"},
        {"name": "values", "type": {"type": "array", "items": "float"}},
        {"name": "model", "type": ["null", "string"], "default": null},
        {"name": "tissue", "type": "string", "default": "unknown"}
      ]}
      """;

  private final WriterSchemas schemas = WriterSchemas.v1();
  private final AvroCodec<GenePanel> panels = AvroCodec.forType(GenePanel.class, schemas);

  private static byte[] encodeWithTissue(Schema newer) throws IOException {
    GenericRecord record = new GenericData.Record(newer);
    record.put("sampleId", "s-9");
    record.put("values", List.of(1f, 2f));
    record.put("model", null);
    record.put("tissue", "liver");
    ByteBuffer buffer =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), newer).encode(record);
    return Arrays.copyOfRange(buffer.array(), buffer.arrayOffset(), buffer.limit());
  }

  @Test
  void readsARecordWrittenWithAnAddedDefaultedFieldUsingTheV1Reader() throws IOException {
    Schema newer = new Schema.Parser().parse(GENE_PANEL_WITH_TISSUE);
    byte[] payload = encodeWithTissue(newer);
    schemas.register(newer);

    GenePanel decoded = panels.decode(payload);

    assertEquals("s-9", decoded.getSampleId());
    assertEquals(List.of(1f, 2f), decoded.getValues());
    assertEquals(null, decoded.getModel());
  }

  @Test
  void readsANewerWriterOnceItsSchemaIsLoadedFromADirectory(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("common"));
    Files.writeString(dir.resolve("GenePanel.avsc"), GENE_PANEL_WITH_TISSUE);
    byte[] payload = encodeWithTissue(new Schema.Parser().parse(GENE_PANEL_WITH_TISSUE));
    assertThrows(CodecException.class, () -> panels.decode(payload));

    List<Schema> loaded = schemas.loadDirectory(dir);

    assertEquals(1, loaded.size());
    assertEquals("s-9", panels.decode(payload).getSampleId());
  }

  @Test
  void loadsTheRepositorysOwnSchemasDirectory() throws IOException {
    WriterSchemas fromFiles = WriterSchemas.empty();

    fromFiles.loadDirectory(Path.of("schemas"));

    for (Schema v1 : WriterSchemas.V1) {
      assertEquals(
          WriterSchemas.fingerprint(v1),
          WriterSchemas.fingerprint(fromFiles.findByFingerprint(WriterSchemas.fingerprint(v1))));
    }
  }

  @Test
  void v1HoldsTheCompiledSchemaOfEveryTopLevelFileOfTheRepositorysSchemas() throws IOException {
    Set<String> files;
    try (Stream<Path> list = Files.list(Path.of("schemas"))) {
      files =
          list.map(p -> p.getFileName().toString())
              .filter(name -> name.endsWith(".avsc"))
              .map(name -> "streaminfer.v1." + name.substring(0, name.length() - ".avsc".length()))
              .collect(Collectors.toCollection(TreeSet::new));
    }

    assertEquals(
        files,
        WriterSchemas.V1.stream()
            .map(Schema::getFullName)
            .collect(Collectors.toCollection(TreeSet::new)));
    for (Schema v1 : WriterSchemas.V1) {
      assertSame(
          SpecificData.get().getSchema(SpecificData.get().getClass(v1)), v1, v1.getFullName());
      assertSame(v1, schemas.findByFingerprint(WriterSchemas.fingerprint(v1)), v1.getFullName());
    }
  }

  @Test
  void rejectsAnInvalidSchemaFileNamingIt(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("Broken.avsc"), "{\"type\": \"record\", \"name\": \"Broken\"}");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> schemas.loadDirectory(dir));

    assertTrue(e.getMessage().contains("Broken.avsc"), e.getMessage());
  }

  @Test
  void rejectsAnUnknownWriterFingerprintWithAClearMessage() throws IOException {
    Schema newer = new Schema.Parser().parse(GENE_PANEL_WITH_TISSUE);
    byte[] payload = encodeWithTissue(newer);

    CodecException e = assertThrows(CodecException.class, () -> panels.decode(payload));

    String hex = String.format("0x%016X", WriterSchemas.fingerprint(newer));
    assertTrue(
        e.getMessage().startsWith("unknown writer schema fingerprint " + hex), e.getMessage());
  }

  @Test
  void rejectsAWriterSchemaOfAnotherRecordType() {
    AvroCodec<GeneExpression> expressions = AvroCodec.forType(GeneExpression.class, schemas);
    byte[] payload = expressions.encode(V1Samples.geneExpression(new float[] {1f}));

    CodecException e = assertThrows(CodecException.class, () -> panels.decode(payload));

    assertTrue(
        e.getMessage().startsWith("incompatible writer schema streaminfer.v1.GeneExpression 0x"),
        e.getMessage());
    assertTrue(e.getMessage().contains("for reader streaminfer.v1.GenePanel"), e.getMessage());
  }

  @Test
  void rejectsANewerWriterThatDroppedARequiredField() throws IOException {
    Schema withoutValues =
        new Schema.Parser()
            .parse(
                """
                {"type": "record", "name": "GenePanel", "namespace": "streaminfer.v1", "fields": [
                  {"name": "sampleId", "type": "string"}
                ]}
                """);
    schemas.register(withoutValues);
    GenericRecord record = new GenericData.Record(withoutValues);
    record.put("sampleId", "s");
    ByteBuffer buffer =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), withoutValues).encode(record);
    byte[] payload = Arrays.copyOfRange(buffer.array(), 0, buffer.limit());

    CodecException e = assertThrows(CodecException.class, () -> panels.decode(payload));

    assertTrue(e.getMessage().startsWith("incompatible writer schema"), e.getMessage());
    assertTrue(e.getMessage().contains("values"), e.getMessage());
  }

  @Test
  void promotesAnIntArrayWriterToTheFloatArrayReader() throws IOException {
    Schema intValues =
        new Schema.Parser()
            .parse(
                """
                {"type": "record", "name": "GenePanel", "namespace": "streaminfer.v1", "fields": [
                  {"name": "sampleId", "type": "string"},
                  {"name": "values", "type": {"type": "array", "items": "int"}}
                ]}
                """);
    schemas.register(intValues);
    GenericRecord record = new GenericData.Record(intValues);
    record.put("sampleId", "s");
    record.put("values", List.of(1, -2, 3));
    ByteBuffer buffer =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), intValues).encode(record);

    GenePanel decoded = panels.decode(Arrays.copyOfRange(buffer.array(), 0, buffer.limit()));

    assertEquals(List.of(1f, -2f, 3f), decoded.getValues());
  }
}
