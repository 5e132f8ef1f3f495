package streaminfer.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Stream;

/**
 * A Triton-style model repository: {@code <root>/<name>/<version>/model.onnx + model.json}. Every
 * version is validated before it is served, so a bad file fails the start, not a record.
 */
public final class ModelRepository {
  public static final String GRAPH_FILE = "model.onnx";
  public static final String METADATA_FILE = "model.json";

  private final Path root;
  private final SessionFactory sessions;
  private final OrtEnvironment environment;

  public ModelRepository(Path root) {
    this.root = root;
    this.environment = OrtEnvironment.getEnvironment();
    this.sessions = new SessionFactory(environment);
  }

  public Path root() {
    return root;
  }

  /** The directory of the requested version, or of the highest numbered one when none is given. */
  public Path versionDirectory(String name, OptionalInt version) {
    Path modelDirectory = root.resolve(name);
    if (!Files.isDirectory(modelDirectory)) {
      throw new ModelLoadException(
          "no model '"
              + name
              + "' in the repository "
              + root.toAbsolutePath()
              + " (expected "
              + modelDirectory
              + "/<version>/"
              + GRAPH_FILE
              + ")");
    }
    if (version.isPresent()) {
      Path directory = modelDirectory.resolve(Integer.toString(version.getAsInt()));
      if (!Files.isDirectory(directory)) {
        throw new ModelLoadException("no version directory " + directory);
      }
      return directory;
    }
    try (Stream<Path> children = Files.list(modelDirectory)) {
      return children
          .filter(Files::isDirectory)
          .filter(path -> path.getFileName().toString().matches("\\d+"))
          .max((a, b) -> Integer.compare(versionOf(a), versionOf(b)))
          .orElseThrow(
              () -> new ModelLoadException("no numbered version directory in " + modelDirectory));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Loads, verifies and opens one model version, without warm-up. */
  public ModelSession open(
      String name, OptionalInt version, DevicePolicy policy, SessionTuning tuning) {
    return open(name, version, policy, tuning, Warmup.none());
  }

  /** Loads, verifies, opens and warms up one model version: it serves once this returns. */
  public ModelSession open(
      String name, OptionalInt version, DevicePolicy policy, SessionTuning tuning, Warmup warmup) {
    Path directory = versionDirectory(name, version);
    Path graph = directory.resolve(GRAPH_FILE);
    Path metadataFile = directory.resolve(METADATA_FILE);
    requireFile(graph);
    requireFile(metadataFile);
    ModelMetadata metadata = ModelMetadata.read(metadataFile);
    if (!metadata.name().equals(name) || metadata.version() != versionOf(directory)) {
      throw new ModelLoadException(
          metadataFile
              + " describes "
              + metadata.name()
              + "/"
              + metadata.version()
              + " but lies in "
              + directory);
    }
    return openGraph(directory, graph, metadata, policy, tuning, warmup);
  }

  /**
   * Opens a second graph of a model version, described by the section {@code section} of its
   * model.json ({@code file}, {@code sha256}, {@code inputs}, {@code outputs}); verified like the
   * main graph. A QGen's scene encoder, which runs once per game while the main graph runs once per
   * word, is one.
   */
  public ModelSession openAuxiliary(
      ModelSession owner, String section, DevicePolicy policy, SessionTuning tuning) {
    return openAuxiliary(owner, section, policy, tuning, Warmup.none());
  }

  /** {@link #openAuxiliary(ModelSession, String, DevicePolicy, SessionTuning)}, warmed up. */
  public ModelSession openAuxiliary(
      ModelSession owner,
      String section,
      DevicePolicy policy,
      SessionTuning tuning,
      Warmup warmup) {
    ModelMetadata metadata = owner.metadata().auxiliary(section);
    Path graph = owner.directory().resolve(metadata.document().get("file").asText());
    requireFile(graph);
    return openGraph(owner.directory(), graph, metadata, policy, tuning, warmup);
  }

  private ModelSession openGraph(
      Path directory,
      Path graph,
      ModelMetadata metadata,
      DevicePolicy policy,
      SessionTuning tuning,
      Warmup warmup) {
    Path metadataFile = directory.resolve(METADATA_FILE);
    String actualSha256 = sha256(graph);
    if (!actualSha256.equalsIgnoreCase(metadata.sha256())) {
      throw new ModelLoadException(
          graph
              + " has sha256 "
              + actualSha256
              + " but "
              + metadataFile
              + " says "
              + metadata.sha256());
    }
    SessionFactory.OpenedSession opened;
    try {
      opened = sessions.open(graph, policy, tuning);
    } catch (OrtException e) {
      throw new ModelLoadException(graph + ": ONNX Runtime cannot load it: " + e.getMessage(), e);
    }
    try {
      String model = "model " + metadata.name() + "/" + metadata.version() + " (" + graph + ")";
      checkSignature(model, opened.session().getInputInfo(), metadata.inputs(), "input");
      checkSignature(model, opened.session().getOutputInfo(), metadata.outputs(), "output");
    } catch (OrtException | RuntimeException e) {
      closeQuietly(opened.session());
      throw e instanceof ModelLoadException mle
          ? mle
          : new ModelLoadException(graph + ": " + e.getMessage(), e);
    }
    ModelSession session =
        new ModelSession(
            environment,
            opened.session(),
            metadata,
            directory,
            opened.device(),
            opened.fallbackReason());
    try {
      session.warmedUp(Warmer.warmUp(session, warmup, graph.getFileName().toString()));
    } catch (RuntimeException e) {
      session.close();
      throw e instanceof ModelLoadException mle
          ? mle
          : new ModelLoadException(graph + ": warm-up failed: " + e.getMessage(), e);
    }
    return session;
  }

  private static void checkSignature(
      String graph, Map<String, NodeInfo> actual, List<TensorSpec> declared, String kind) {
    if (actual.size() != declared.size()) {
      throw new ModelLoadException(
          graph
              + " has "
              + kind
              + "s "
              + actual.keySet()
              + " but "
              + METADATA_FILE
              + " declares "
              + declared);
    }
    for (TensorSpec spec : declared) {
      NodeInfo node = actual.get(spec.name());
      if (node == null || !(node.getInfo() instanceof TensorInfo info)) {
        throw new ModelLoadException(
            graph
                + " has no tensor "
                + kind
                + " '"
                + spec.name()
                + "' (has "
                + actual.keySet()
                + ")");
      }
      if (info.type != spec.dtype().onnxType()) {
        throw new ModelLoadException(
            graph
                + ": "
                + kind
                + " "
                + spec.name()
                + " is "
                + graphDtype(info.type)
                + " in the graph but "
                + METADATA_FILE
                + " declares "
                + spec.dtype());
      }
      if (!shapesAgree(info.getShape(), spec.shape())) {
        throw new ModelLoadException(
            graph
                + ": "
                + kind
                + " "
                + spec.name()
                + " has shape "
                + Arrays.toString(info.getShape())
                + " but "
                + METADATA_FILE
                + " declares "
                + Arrays.toString(spec.shape()));
      }
    }
  }

  private static String graphDtype(OnnxJavaType type) {
    return Arrays.stream(DType.values())
        .filter(dtype -> dtype.onnxType() == type)
        .map(DType::label)
        .findFirst()
        .orElse(type + " (not served)");
  }

  /** A dynamic graph dimension (-1) admits any declared size; fixed ones must match. */
  private static boolean shapesAgree(long[] graphShape, long[] declared) {
    if (graphShape.length != declared.length) {
      return false;
    }
    for (int i = 0; i < declared.length; i++) {
      if (graphShape[i] >= 0 && graphShape[i] != declared[i]) {
        return false;
      }
    }
    return true;
  }

  private static void requireFile(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ModelLoadException("missing model file " + file);
    }
  }

  private static int versionOf(Path directory) {
    String name = directory.getFileName().toString();
    try {
      return Integer.parseInt(name);
    } catch (NumberFormatException e) {
      throw new ModelLoadException("version directory " + directory + " is not a number", e);
    }
  }

  static String sha256(Path file) {
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), newDigest())) {
      DigestInputStream digestStream = (DigestInputStream) in;
      in.transferTo(OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(digestStream.getMessageDigest().digest());
    } catch (IOException e) {
      throw new ModelLoadException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }

  private static void closeQuietly(OrtSession session) {
    try {
      session.close();
    } catch (OrtException e) {
      // The load already failed; that error is the one worth reporting.
    }
  }
}
