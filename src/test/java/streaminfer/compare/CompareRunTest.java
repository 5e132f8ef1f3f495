package streaminfer.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import streaminfer.codec.AvroCodec;
import streaminfer.codec.WriterSchemas;
import streaminfer.config.ConfigException;
import streaminfer.v1.ModelRef;
import streaminfer.v1.ObjectProbability;

class CompareRunTest {
  private final WriterSchemas schemas = WriterSchemas.v1();
  private final AvroCodec<ModelRef> refs = AvroCodec.forType(ModelRef.class, schemas);
  private final AvroCodec<ObjectProbability> others =
      AvroCodec.forType(ObjectProbability.class, schemas);
  private final List<OfferedComparator> offered =
      List.of(new OfferedComparator("versions", new ComparisonTest.VersionComparator()));

  private CompareRun run(Optional<String> family) {
    return new CompareRun(offered, family, schemas, Tolerances.exact(), 10, "a", "b");
  }

  private byte[] ref(String id, String value) {
    return refs.encode(new ModelRef(id, value));
  }

  @Test
  void picksTheComparatorByTheWriterSchemaAndCountsUndecodableValues() {
    CompareRun run = run(Optional.empty());
    run.accept(Side.A, "k", new byte[] {1, 2, 3});
    run.accept(Side.A, "k", ref("1", "1"));
    run.accept(Side.B, "k", ref("1", "2"));
    run.accept(Side.B, "k", new byte[] {(byte) 0xC3, 1, 0, 0, 0, 0, 0, 0, 0, 0});

    Report report = run.finish();

    assertEquals("versions", report.family());
    assertEquals(ModelRef.class.getName(), report.recordType());
    assertEquals(1, report.paired());
    assertEquals(1, report.differing());
    assertEquals(1, report.a().unreadable());
    assertEquals(1, report.b().unreadable());
  }

  @Test
  void refusesTopicsOfTwoDifferentRecords() {
    CompareRun run = run(Optional.empty());
    run.accept(Side.A, "k", ref("1", "1"));

    ConfigException error =
        assertThrows(
            ConfigException.class,
            () -> run.accept(Side.B, "k", others.encode(new ObjectProbability(1, 0.5f))));
    assertEquals("--b", error.key());
  }

  @Test
  void refusesAFamilyThatComparesNothingAndNeedsOneWhenNoValueNamesARecord() {
    ConfigException unknown =
        assertThrows(ConfigException.class, () -> run(Optional.of("no-such-family")));
    assertTrue(unknown.getMessage().contains("[versions]"), unknown.getMessage());

    ConfigException empty =
        assertThrows(ConfigException.class, () -> run(Optional.empty()).finish());
    assertEquals("--family", empty.key());
    assertEquals(0, run(Optional.of("versions")).finish().paired());
  }

  @Test
  void refusesARecordNoFamilyCompares() {
    ConfigException error =
        assertThrows(
            ConfigException.class,
            () ->
                run(Optional.empty())
                    .accept(Side.A, "k", others.encode(new ObjectProbability(1, 0.5f))));
    assertTrue(error.getMessage().contains("ObjectProbability"), error.getMessage());
  }
}
