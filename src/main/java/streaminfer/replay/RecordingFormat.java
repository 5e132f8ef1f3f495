package streaminfer.replay;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * The recording file: an Avro object container file of {@code RecordedRecord} entries, with the
 * recording's {@link RecordingManifest} in the file's metadata, readable by any Avro tool.
 */
public final class RecordingFormat {
  private RecordingFormat() {}

  public static final Schema SCHEMA = loadSchema();
  static final Schema HEADER_SCHEMA = SCHEMA.getField("headers").schema().getElementType();

  /** File metadata key of the manifest (JSON). */
  static final String MANIFEST_KEY = "streaminfer.recording";

  private static final int SYNC_BYTES = 16;

  private static Schema loadSchema() {
    try (InputStream in =
        RecordingFormat.class.getResourceAsStream("/streaminfer/replay/RecordedRecord.avsc")) {
      return new Schema.Parser().parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The length of the file's readable part: its header and every complete block. A recorder killed
   * while writing a block leaves a torn block after it, which readers skip and a resumed recorder
   * cuts off.
   *
   * @throws IOException if not even the header is complete
   */
  static long completeLength(Path file) throws IOException {
    long headerEnd;
    try (DataFileReader<GenericRecord> reader =
        new DataFileReader<>(file.toFile(), new GenericDatumReader<>())) {
      // Right after the header, the reader's last sync point is the header's end.
      headerEnd = reader.previousSync();
    }
    byte[] sync = new byte[SYNC_BYTES];
    try (InputStream in = Files.newInputStream(file)) {
      in.skipNBytes(headerEnd - SYNC_BYTES);
      in.readNBytes(sync, 0, SYNC_BYTES);
    }
    try (CountingInputStream in =
        new CountingInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      in.skipNBytes(headerEnd);
      BinaryDecoder decoder = DecoderFactory.get().directBinaryDecoder(in, null);
      long complete = headerEnd;
      byte[] marker = new byte[SYNC_BYTES];
      try {
        while (true) {
          decoder.readLong(); // entries in the block
          long size = decoder.readLong();
          in.skipNBytes(size);
          decoder.readFixed(marker);
          if (!Arrays.equals(marker, sync)) {
            return complete;
          }
          complete = in.position();
        }
      } catch (EOFException e) {
        return complete;
      }
    }
  }

  private static final class CountingInputStream extends FilterInputStream {
    private long position;

    CountingInputStream(InputStream in) {
      super(in);
    }

    long position() {
      return position;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        position++;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        position += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      position += skipped;
      return skipped;
    }
  }
}
