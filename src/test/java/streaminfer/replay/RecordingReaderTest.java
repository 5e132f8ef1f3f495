package streaminfer.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import streaminfer.replay.RecordedRecord.RecordedHeader;
import streaminfer.replay.RecordingManifest.OffsetRange;

class RecordingReaderTest {
  @TempDir Path dir;

  private static final RecordingManifest MANIFEST =
      new RecordingManifest(
          "t", Map.of(0, new OffsetRange(0, 100)), "earliest", "now", "2026-11-30T00:00:00Z");

  @Test
  void keepsKeysValuesHeadersAndNullsAsRecorded() throws IOException {
    RecordedRecord record =
        new RecordedRecord(
            "t",
            0,
            7,
            1234,
            "CreateTime",
            null,
            "v".getBytes(StandardCharsets.UTF_8),
            List.of(new RecordedHeader("h", null), new RecordedHeader("h", new byte[] {1, 2})));
    Path file = write(List.of(record), 1);
    try (RecordingReader reader = RecordingReader.open(file)) {
      RecordedRecord read = reader.iterator().next();
      assertEquals(7, read.offset());
      assertEquals(null, read.key());
      assertArrayEquals(record.value(), read.value());
      assertEquals(2, read.headers().size());
      assertEquals(null, read.headers().get(0).value());
      assertArrayEquals(new byte[] {1, 2}, read.headers().get(1).value());
      assertEquals(MANIFEST, reader.manifest());
    }
  }

  @Test
  void aFileCutAnywhereIsReadUpToItsLastCompleteBlock() throws IOException {
    List<RecordedRecord> records = records(100);
    Path whole = write(records, 10);
    byte[] bytes = Files.readAllBytes(whole);
    long headerEnd;
    try (DataFileReader<GenericRecord> reader =
        new DataFileReader<>(whole.toFile(), new GenericDatumReader<>())) {
      headerEnd = reader.previousSync();
    }
    int previous = 0;
    for (int cut = (int) headerEnd; ; cut = Math.min(cut + 7, bytes.length)) {
      Path torn = dir.resolve("torn.avro");
      Files.write(torn, java.util.Arrays.copyOf(bytes, cut));
      try (RecordingReader reader = RecordingReader.open(torn)) {
        List<Long> offsets = new ArrayList<>();
        reader.forEach(r -> offsets.add(r.offset()));
        assertEquals(0, offsets.size() % 10, "whole blocks only, cut at " + cut);
        for (int i = 0; i < offsets.size(); i++) {
          assertEquals(i, offsets.get(i));
        }
        assertTrue(offsets.size() >= previous, "a longer file never reads fewer records");
        previous = offsets.size();
        assertEquals(cut - RecordingFormat.completeLength(torn), reader.tornBytes());
      }
      if (cut == bytes.length) {
        break;
      }
    }
    assertEquals(100, previous);
  }

  @Test
  void aFileCutMidBlockCanBeTruncatedAndAppendedTo() throws IOException {
    Path file = write(records(100), 10);
    long size = Files.size(file);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(size - 5);
    }
    long complete = RecordingFormat.completeLength(file);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(complete);
    }
    try (DataFileWriter<GenericRecord> writer =
        new DataFileWriter<GenericRecord>(new GenericDatumWriter<>()).appendTo(file.toFile())) {
      for (RecordedRecord record : records(100).subList(90, 100)) {
        writer.append(record.toAvro());
      }
    }
    try (RecordingReader reader = RecordingReader.open(file)) {
      RecordingReader.Contents contents = reader.contents();
      assertEquals(100, contents.records());
      assertEquals(100L, contents.nextOffsets().get(0));
      assertEquals(0, reader.tornBytes());
    }
  }

  static List<RecordedRecord> records(int n) {
    List<RecordedRecord> records = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      records.add(
          new RecordedRecord(
              "t",
              0,
              i,
              1000 + i,
              "CreateTime",
              ("k" + i).getBytes(StandardCharsets.UTF_8),
              ("value " + i).getBytes(StandardCharsets.UTF_8),
              List.of()));
    }
    return records;
  }

  private Path write(List<RecordedRecord> records, int perBlock) throws IOException {
    Path file = dir.resolve("recording-" + System.nanoTime() + ".avro");
    try (DataFileWriter<GenericRecord> writer =
        new DataFileWriter<GenericRecord>(new GenericDatumWriter<>())) {
      writer.setCodec(CodecFactory.deflateCodec(6));
      writer.setMeta(RecordingFormat.MANIFEST_KEY, MANIFEST.toJson());
      writer.create(RecordingFormat.SCHEMA, file.toFile());
      for (int i = 0; i < records.size(); i++) {
        writer.append(records.get(i).toAvro());
        if ((i + 1) % perBlock == 0) {
          writer.flush();
        }
      }
    }
    return file;
  }
}
