package streaminfer.replay;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.SeekableInput;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;

/**
 * Reads a recording file in order, up to its last complete block: the torn block a killed recorder
 * may leave is not read ({@link #tornBytes} says how long it is).
 */
public final class RecordingReader implements AutoCloseable, Iterable<RecordedRecord> {
  /** What a whole file holds. */
  public record Contents(
      RecordingManifest manifest, long records, Map<Integer, Long> nextOffsets) {}

  private final DataFileReader<GenericRecord> reader;
  private final RecordingManifest manifest;
  private final long tornBytes;

  private RecordingReader(DataFileReader<GenericRecord> reader, long tornBytes) {
    this.reader = reader;
    this.tornBytes = tornBytes;
    byte[] manifestJson = reader.getMeta(RecordingFormat.MANIFEST_KEY);
    if (manifestJson == null) {
      throw new IllegalArgumentException(
          "not a streaminfer recording: no " + RecordingFormat.MANIFEST_KEY + " metadata");
    }
    this.manifest = RecordingManifest.fromJson(new String(manifestJson, StandardCharsets.UTF_8));
  }

  public static RecordingReader open(Path file) throws IOException {
    long complete = RecordingFormat.completeLength(file);
    long size = Files.size(file);
    return new RecordingReader(
        new DataFileReader<>(new BoundedFileInput(file, complete), new GenericDatumReader<>()),
        size - complete);
  }

  public RecordingManifest manifest() {
    return manifest;
  }

  /** Bytes after the last complete block, which are not read. */
  public long tornBytes() {
    return tornBytes;
  }

  /** Reads every record, keeping only counts and where each partition's recording stopped. */
  public Contents contents() {
    long records = 0;
    Map<Integer, Long> next = new HashMap<>();
    manifest.partitions().forEach((partition, range) -> next.put(partition, range.from()));
    for (RecordedRecord record : this) {
      records++;
      next.merge(record.partition(), record.offset() + 1, Math::max);
    }
    return new Contents(manifest, records, next);
  }

  /** One pass over the records; iterating again continues where the last pass stopped. */
  @Override
  public Iterator<RecordedRecord> iterator() {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return reader.hasNext();
      }

      @Override
      public RecordedRecord next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return RecordedRecord.fromAvro(reader.next());
      }
    };
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }

  /** The first {@code length} bytes of a file, as Avro's reader wants them. */
  private static final class BoundedFileInput implements SeekableInput {
    private final FileChannel channel;
    private final long length;
    private long position;

    BoundedFileInput(Path file, long length) throws IOException {
      this.channel = FileChannel.open(file, StandardOpenOption.READ);
      this.length = length;
    }

    @Override
    public void seek(long p) {
      position = p;
    }

    @Override
    public long tell() {
      return position;
    }

    @Override
    public long length() {
      return length;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      long left = length - position;
      if (left <= 0) {
        return -1;
      }
      int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, left)), position);
      if (n > 0) {
        position += n;
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
