package streaminfer.codec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.SchemaParseException;
import org.apache.avro.SchemaParser;
import org.apache.avro.message.SchemaStore;
import streaminfer.v1.Detections;
import streaminfer.v1.DialogueReply;
import streaminfer.v1.DialogueTurn;
import streaminfer.v1.Frame;
import streaminfer.v1.FrameScore;
import streaminfer.v1.GameState;
import streaminfer.v1.GeneExpression;
import streaminfer.v1.GenePanel;
import streaminfer.v1.GeneratedImage;
import streaminfer.v1.GenerationRequest;
import streaminfer.v1.Segmentations;

/**
 * The writer schemas this process can read, by CRC-64-AVRO fingerprint of their parsing canonical
 * form (the single-object encoding header). Seeded with the v1 wire contract; an operator adds
 * newer writers' schemas with {@link #loadDirectory} ({@code --schemas-dir}). Thread-safe: lookups
 * happen on every decode while schemas may be added at any time.
 */
public final class WriterSchemas implements SchemaStore {
  /** Every top-level v1 record, i.e. every value that travels on a topic. */
  public static final List<Schema> V1 =
      List.of(
          GenePanel.getClassSchema(),
          GeneExpression.getClassSchema(),
          Frame.getClassSchema(),
          Detections.getClassSchema(),
          Segmentations.getClassSchema(),
          FrameScore.getClassSchema(),
          GenerationRequest.getClassSchema(),
          GeneratedImage.getClassSchema(),
          DialogueTurn.getClassSchema(),
          DialogueReply.getClassSchema(),
          GameState.getClassSchema());

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
