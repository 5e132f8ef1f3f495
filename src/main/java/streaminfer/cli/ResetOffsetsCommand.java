package streaminfer.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import streaminfer.client.KafkaOptions;
import streaminfer.replay.GroupOffsets;

/** {@code streaminfer reset-offsets}: where a (backfill) pipeline's group starts. */
@Command(
    name = "reset-offsets",
    mixinStandardHelpOptions = true,
    description = {
      "Set where a consumer group starts in a topic (an offset, a time, earliest or now), as"
          + " kafka-consumer-groups --reset-offsets does. For a backfill: give a pipeline its own"
          + " group and output topic in the config file, reset that group, then serve it; the live"
          + " group is not touched.",
      "Refused while the group has active members."
    })
final class ResetOffsetsCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;

  @Option(names = "--group", required = true, description = "The pipeline's consumer group.")
  String group;

  @Option(names = "--topic", required = true, description = "The pipeline's input topic.")
  String topic;

  @Option(
      names = "--to",
      required = true,
      description = "earliest, now, an offset (in every partition) or an ISO-8601 time.")
  String to;

  @Option(names = "--partitions", split = ",", description = "Only these partitions.")
  List<Integer> partitions = List.of();

  @Option(names = "--dry-run", description = "Print the offsets without setting them.")
  boolean dryRun;

  @Override
  public Integer call() {
    try {
      Map<Integer, Long> offsets =
          new GroupOffsets(kafka.clientProperties()).reset(group, topic, partitions, to, dryRun);
      offsets.forEach(
          (partition, offset) ->
              System.out.printf("%s %s-%d -> %d%n", group, topic, partition, offset));
      System.out.println(dryRun ? "dry run: nothing changed" : "offsets set");
      return 0;
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println(e.getMessage());
      return 2;
    }
  }
}
