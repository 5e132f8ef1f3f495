package streaminfer.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.avro.file.CodecFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import streaminfer.client.KafkaOptions;
import streaminfer.client.Progress;
import streaminfer.replay.Recorder;
import streaminfer.replay.RecordingExistsException;

/** {@code streaminfer record}: a topic range into an Avro object container file. */
@Command(
    name = "record",
    mixinStandardHelpOptions = true,
    description = {
      "Record a range of a topic (committed records: key, value, headers, partition, offset,"
          + " timestamp) into an Avro object container file, readable by any Avro tool.",
      "A killed recorder leaves a file readable up to its last complete block; --resume continues"
          + " it without losing or repeating a record."
    })
final class RecordCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;

  @Option(names = "--topic", required = true, description = "The topic to record.")
  String topic;

  @Option(
      names = "--partitions",
      split = ",",
      description = "Only these partitions (default: all).")
  List<Integer> partitions = List.of();

  @Option(
      names = "--from",
      defaultValue = "earliest",
      description =
          "First record: earliest, an offset (in every partition) or an ISO-8601 time (default:"
              + " ${DEFAULT-VALUE}).")
  String from;

  @Option(
      names = "--to",
      defaultValue = "now",
      description =
          "End, exclusive: now (the end when recording starts), an offset or an ISO-8601 time"
              + " (default: ${DEFAULT-VALUE}).")
  String to;

  @Option(names = "--out", required = true, description = "The recording file.")
  Path out;

  @Option(names = "--overwrite", description = "Replace an existing file.")
  boolean overwrite;

  @Option(
      names = "--resume",
      description = "Continue the recording in an existing file (as first started).")
  boolean resume;

  @Option(
      names = "--codec",
      defaultValue = "deflate",
      description =
          "Block compression: deflate, snappy, zstandard or null (default: ${DEFAULT-VALUE}).")
  String codec;

  @Override
  public Integer call() throws Exception {
    if (overwrite && resume) {
      System.err.println("--overwrite and --resume exclude each other");
      return 2;
    }
    Recorder.Mode mode =
        overwrite ? Recorder.Mode.OVERWRITE : resume ? Recorder.Mode.RESUME : Recorder.Mode.CREATE;
    Recorder recorder = new Recorder(kafka.clientProperties());
    Thread stopper = StopOnSignal.install(recorder::stop);
    try {
      Recorder.Result result =
          recorder.record(
              new Recorder.Request(
                  topic,
                  partitions,
                  from,
                  to,
                  out,
                  mode,
                  CodecFactory.fromString(codec.toLowerCase(Locale.ROOT))),
              Progress.STDOUT);
      System.out.printf(
          "recorded %,d records of %s into %s (%,d were there already)%n",
          result.recorded(), topic, out, result.alreadyInFile());
      return 0;
    } catch (RecordingExistsException | IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    } finally {
      StopOnSignal.remove(stopper);
    }
  }
}
