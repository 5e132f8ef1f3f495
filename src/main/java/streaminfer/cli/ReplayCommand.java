package streaminfer.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import streaminfer.client.KafkaOptions;
import streaminfer.client.Progress;
import streaminfer.replay.Replayer;

/** {@code streaminfer replay}: a recording back into a topic, paced or as fast as possible. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Publish a recording's keys, values and headers to a topic, recorded partition p to"
          + " partition p, with the recorded timing divided by --speed, or as fast as the broker"
          + " takes them.",
      "Records go out in Kafka transactions with a checkpoint: an interrupted replay, run again"
          + " with the same arguments, continues where it stopped, without losing or repeating a"
          + " record (read the topic read_committed)."
    })
final class ReplayCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;

  @Option(names = "--in", required = true, description = "The recording file.")
  Path in;

  @Option(names = "--topic", required = true, description = "The topic to publish to.")
  String topic;

  @Option(
      names = "--speed",
      defaultValue = "max",
      description =
          "1: recorded timing, 4: four times faster, ..., max: no pauses (default: ${DEFAULT-VALUE}).")
  String speed;

  @Option(names = "--key", description = "Only records with this key.")
  String key;

  @Option(
      names = "--from",
      defaultValue = "earliest",
      description = "First recorded record: earliest, an offset or an ISO-8601 time.")
  String from;

  @Option(
      names = "--to",
      defaultValue = "now",
      description = "End, exclusive: now (the whole file), an offset or an ISO-8601 time.")
  String to;

  @Option(
      names = "--capture-time",
      defaultValue = "keep",
      description =
          "Frames' captureTimeMicros: keep (as recorded: serve with live mode off) or restamp"
              + " (moved forward to the replay's time, so live mode judges frames as it did"
              + " live) (default: ${DEFAULT-VALUE}).")
  String captureTime;

  @Option(
      names = "--replay-id",
      description =
          "Names the replay's checkpoint (default: made from the file, topic and filters, so the"
              + " same command resumes).")
  String replayId;

  @Option(names = "--restart", description = "Ignore the checkpoint: replay from the start.")
  boolean restart;

  @Override
  public Integer call() throws Exception {
    double times;
    Replayer.CaptureTime capture;
    try {
      times = speed.equalsIgnoreCase("max") ? 0 : Double.parseDouble(speed);
      if (times < 0 || Double.isNaN(times) || Double.isInfinite(times)) {
        throw new NumberFormatException();
      }
      capture = Replayer.CaptureTime.valueOf(captureTime.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      System.err.println("--speed is a positive number or max, --capture-time is keep or restamp");
      return 2;
    }
    Replayer replayer = new Replayer(kafka.clientProperties());
    Thread stopper = StopOnSignal.install(replayer::stop);
    try {
      Replayer.Result result =
          replayer.replay(
              new Replayer.Request(
                  in,
                  topic,
                  times,
                  Optional.ofNullable(key),
                  from,
                  to,
                  capture,
                  Optional.ofNullable(replayId),
                  restart),
              Progress.STDOUT);
      System.out.printf(
          "replay %s: sent %,d records to %s in %.1f s (%,d sent before)%s%n",
          result.replayId(),
          result.sent(),
          topic,
          result.elapsed().toMillis() / 1000.0,
          result.skippedAsReplayed(),
          result.complete() ? "" : "; stopped early: run again to continue");
      return 0;
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    } finally {
      StopOnSignal.remove(stopper);
    }
  }
}
