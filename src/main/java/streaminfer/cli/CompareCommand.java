package streaminfer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import streaminfer.client.KafkaOptions;
import streaminfer.codec.WriterSchemas;
import streaminfer.compare.CompareRun;
import streaminfer.compare.OfferedComparator;
import streaminfer.compare.Report;
import streaminfer.compare.ResultComparator;
import streaminfer.compare.ResultTopicReader;
import streaminfer.compare.Side;
import streaminfer.compare.Thresholds;
import streaminfer.compare.Tolerances;
import streaminfer.compare.TopicReadException;
import streaminfer.config.ConfigException;
import streaminfer.family.FamilyModule;
import streaminfer.family.FamilyModules;
import streaminfer.stream.KafkaPreflight;

/**
 * {@code compare}: two result topics of one family, joined result by result and compared in the
 * family's own terms; regression testing by replay (the same input through two model versions).
 */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description = {
      "Compare two result topics of one family (e.g. a replay through model versions 1 and 2):"
          + " results are joined by record key and the family's own id (sequence number, turn,"
          + " image index), and compared in the family's terms. Each topic is read from its"
          + " beginning to its end as of the start, with no consumer group.",
      "",
      "Exit status: 0 within the thresholds, 1 a threshold exceeded, 2 a usage or configuration"
          + " error, 3 Kafka unreachable. By default nothing may differ: any difference, any"
          + " result in only one topic, or no result at all fails."
    })
final class CompareCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;

  @Option(names = "--a", required = true, paramLabel = "TOPIC", description = "Reference results.")
  String topicA;

  @Option(names = "--b", required = true, paramLabel = "TOPIC", description = "Candidate results.")
  String topicB;

  @Option(
      names = "--inputs",
      paramLabel = "TOPIC",
      description =
          "The input topic both sides answered, for judgements the results alone cannot make"
              + " (a self-played game's success needs its target); only families that read it.")
  String inputs;

  @Option(
      names = "--family",
      paramLabel = "NAME",
      description = "The family whose results these are (default: from the writer schema).")
  String family;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON.")
  Path json;

  @Option(
      names = "--max-abs-diff",
      paramLabel = "X",
      defaultValue = "0",
      description =
          "Numbers of two results (expression values, scores, box corners, pixel values) that"
              + " differ by at most this are equal (default: ${DEFAULT-VALUE}, exact).")
  double maxAbsDiff;

  @Option(
      names = "--match-iou",
      paramLabel = "IOU",
      defaultValue = "0.5",
      description =
          "Boxes of one class overlapping at least this much (IoU) are the same object"
              + " (default: ${DEFAULT-VALUE}).")
  double matchIou;

  @Option(
      names = "--max-differing-fraction",
      paramLabel = "F",
      defaultValue = "0",
      description =
          "Fraction (0..1) of the results found in both topics that may differ"
              + " (default: ${DEFAULT-VALUE}).")
  double maxDifferingFraction;

  @Option(
      names = "--max-unmatched",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Results found in only one topic, or unreadable, that are accepted"
              + " (default: ${DEFAULT-VALUE}).")
  long maxUnmatched;

  @Option(
      names = "--min-paired",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Fewer results found in both topics fail, so empty topics do not pass"
              + " (default: ${DEFAULT-VALUE}).")
  long minPaired;

  @Option(
      names = "--show",
      paramLabel = "N",
      defaultValue = "10",
      description = "Differing results listed on stdout (default: ${DEFAULT-VALUE}).")
  int show;

  @Option(
      names = "--max-listed",
      paramLabel = "N",
      defaultValue = "10000",
      description = "Differing results listed in the JSON report (default: ${DEFAULT-VALUE}).")
  int maxListed;

  @Option(
      names = "--timeout-seconds",
      paramLabel = "S",
      defaultValue = "30",
      description =
          "Fail when reading a topic makes no progress this long (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Tolerances tolerances;
    Thresholds thresholds;
    try {
      tolerances = new Tolerances(maxAbsDiff, matchIou);
      thresholds = new Thresholds(maxDifferingFraction, maxUnmatched, minPaired);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("compare", e.getMessage());
    }
    if (show < 0 || maxListed < 0 || timeoutSeconds < 1) {
      throw new ConfigException(
          "compare", "--show and --max-listed must be >= 0, --timeout-seconds >= 1");
    }
    Map<String, String> client = kafka.clientProperties();
    KafkaPreflight.check(client);

    CompareRun run =
        new CompareRun(
            offered(FamilyModules.discover().all()),
            Optional.ofNullable(family),
            WriterSchemas.v1(),
            tolerances,
            maxListed,
            topicA,
            topicB);
    ResultTopicReader reader = new ResultTopicReader(client, Duration.ofSeconds(timeoutSeconds));
    Report report;
    try {
      // Both topics (and the inputs) as of one moment, before either is read.
      ResultTopicReader.Snapshot a = reader.snapshot("--a", topicA);
      ResultTopicReader.Snapshot b = reader.snapshot("--b", topicB);
      ResultTopicReader.Snapshot in = inputs == null ? null : reader.snapshot("--inputs", inputs);
      reader.read(a, (key, value) -> run.accept(Side.A, key, value));
      if (in != null) {
        run.requireInputs();
        reader.read(in, run::acceptInput);
      }
      reader.read(b, (key, value) -> run.accept(Side.B, key, value));
      report = run.finish();
    } catch (TopicReadException e) {
      spec.commandLine().getErr().println("cannot read the results: " + e.getMessage());
      return 3;
    }
    report.print(spec.commandLine().getOut(), thresholds, show);
    if (json != null) {
      Path parent = json.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      new ObjectMapper()
          .writerWithDefaultPrettyPrinter()
          .writeValue(json.toFile(), report.toJson(thresholds));
    }
    return report.exceeded(thresholds).isEmpty() ? 0 : 1;
  }

  /** Every module's comparators, with the module that offers them. */
  static List<OfferedComparator> offered(Iterable<FamilyModule<?>> modules) {
    List<OfferedComparator> offered = new ArrayList<>();
    for (FamilyModule<?> module : modules) {
      for (ResultComparator<?> comparator : module.resultComparators()) {
        offered.add(new OfferedComparator(module.name(), comparator));
      }
    }
    return offered;
  }
}
