package streaminfer.codec;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.SchemaParseException;
import org.apache.avro.SchemaParser;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The writer schemas this process can read, by CRC-64-AVRO fingerprint of their parsing canonical
 * form (the single-object encoding header). Seeded with the v1 wire contract; an operator adds
 * newer writers' schemas with {@link #loadDirectory} ({@code --schemas-dir}). Thread-safe: lookups
 * happen on every decode while schemas may be added at any time.
 */
public final class WriterSchemas implements SchemaStore {
  /** Where the build copies the repository's {@code schemas/} tree on the class path (pom.xml). */
  static final String BUNDLED = "streaminfer/v1/schemas";

  /**
   * Every top-level v1 record, i.e. every value that travels on a topic: the record of each {@code
   * *.avsc} file at the top of the bundled {@code schemas/} tree ({@code common/} holds the types
   * they share), as its compiled class declares it. Read from the tree, so a new schema file is a
   * new entry here without naming it in code.
   */
  public static final List<Schema> V1 = bundledTopLevelRecords();

  private final ConcurrentMap<Long, Schema> byFingerprint = new ConcurrentHashMap<>();

  private WriterSchemas() {}

  /** A store holding the v1 schemas. */
  public static WriterSchemas v1() {
    WriterSchemas store = new WriterSchemas();
    V1.forEach(store::register);
    return store;
  }

  /** A store holding nothing, for tests and tools that want to control every schema. */
  public static WriterSchemas empty() {
    return new WriterSchemas();
  }

  /** The fingerprint the single-object header carries for {@code schema}. */
  public static long fingerprint(Schema schema) {
    return SchemaNormalization.parsingFingerprint64(schema);
  }

  /**
   * Adds a writer schema; adding one that is already known is a no-op.
   *
   * @return its fingerprint
   */
  public long register(Schema schema) {
    Objects.requireNonNull(schema, "schema");
    long fingerprint = fingerprint(schema);
    byFingerprint.putIfAbsent(fingerprint, schema);
    return fingerprint;
  }

  /**
   * Parses every {@code *.avsc} file under {@code directory} (recursively, so a copy of the
   * repository's {@code schemas/} tree works as is) and registers every record schema in them.
   * Files may refer to types defined in other files of the tree.
   *
   * @return the record schemas registered
   * @throws IOException if the directory or a file cannot be read
   * @throws IllegalArgumentException if a file is not a valid schema, naming the file
   */
  public List<Schema> loadDirectory(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      throw new IOException("schemas directory " + directory + " does not exist");
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(directory)) {
      files =
          walk.filter(p -> p.getFileName().toString().endsWith(".avsc") && Files.isRegularFile(p))
              .sorted()
              .toList();
    }
    SchemaParser parser = new SchemaParser();
    for (Path file : files) {
      try {
        parser.parse(file);
      } catch (SchemaParseException e) {
        throw new IllegalArgumentException(
            "invalid Avro schema " + file + ": " + e.getMessage(), e);
      }
    }
    List<Schema> named;
    try {
      // Resolves references between files; an undefined name fails here rather than per file.
      named = parser.getParsedNamedSchemas();
    } catch (SchemaParseException e) {
      throw new IllegalArgumentException(
          "invalid Avro schemas under " + directory + ": " + e.getMessage(), e);
    }
    List<Schema> records = new ArrayList<>();
    for (Schema schema : named) {
      if (schema.getType() == Schema.Type.RECORD) {
        register(schema);
        records.add(schema);
      }
    }
    return List.copyOf(records);
  }

  private static List<Schema> bundledTopLevelRecords() {
    URL url = WriterSchemas.class.getClassLoader().getResource(BUNDLED);
    if (url == null) {
      throw new IllegalStateException(
          BUNDLED + " is not on the class path: the build copies schemas/ there");
    }
    try {
      URI uri = url.toURI();
      if (!"jar".equals(uri.getScheme())) {
        return topLevelRecords(Path.of(uri));
      }
      FileSystem jar;
      try {
        jar = FileSystems.newFileSystem(uri, Map.of());
      } catch (FileSystemAlreadyExistsException e) {
        // Someone else opened the jar as a file system; theirs to close.
        return topLevelRecords(FileSystems.getFileSystem(uri).getPath(BUNDLED));
      }
      try (jar) {
        return topLevelRecords(jar.getPath(BUNDLED));
      }
    } catch (IOException | URISyntaxException | SchemaParseException e) {
      throw new IllegalStateException("cannot read the schemas bundled at " + url, e);
    }
  }

  private static List<Schema> topLevelRecords(Path root) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files =
          walk.filter(p -> p.getFileName().toString().endsWith(".avsc") && Files.isRegularFile(p))
              .sorted()
              .toList();
    }
    SchemaParser parser = new SchemaParser();
    List<SchemaParser.ParseResult> topLevel = new ArrayList<>();
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file)) {
        SchemaParser.ParseResult parsed = parser.parse(in);
        if (root.relativize(file).getNameCount() == 1) {
          topLevel.add(parsed);
        }
      }
    }
    SpecificData compiled = new SpecificData(WriterSchemas.class.getClassLoader());
    List<Schema> records = new ArrayList<>();
    for (SchemaParser.ParseResult parsed : topLevel) {
      Schema schema = parser.resolve(parsed);
      if (schema.getType() != Schema.Type.RECORD) {
        continue;
      }
      // The compiled class's schema carries the Java string type the codecs read with; same
      // fingerprint as the file's.
      Class<?> type = compiled.getClass(schema);
      records.add(
          type != null && SpecificRecord.class.isAssignableFrom(type)
              ? compiled.getSchema(type)
              : schema);
    }
    return List.copyOf(records);
  }

  /** The schema with this fingerprint, or null when it is unknown. */
  @Override
  public Schema findByFingerprint(long fingerprint) {
    return byFingerprint.get(fingerprint);
  }

  /** How many schemas are known. */
  public int size() {
    return byFingerprint.size();
  }
}
