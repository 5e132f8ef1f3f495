package streaminfer.family.guesswhat.tools;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import streaminfer.bench.BatchOptions;
import streaminfer.bench.BenchBroker;
import streaminfer.family.guesswhat.GuessWhatModule;

/** {@code bench dialogue}: {@link DialogueBenchmark} with its options from the command line. */
@Command(
    name = "dialogue",
    mixinStandardHelpOptions = true,
    description =
        "GuessWhat?! self-play: the players in process and the engine through Kafka, alternating.")
public final class DialogueBenchCommand implements Callable<Integer> {
  @Mixin BenchBroker broker;

  @Mixin BatchOptions batch;

  @Option(
      names = "--concurrent-games",
      defaultValue = "256",
      description = "Games in flight at once.")
  int concurrentGames;

  @Option(
      names = "--rounds",
      defaultValue = "2",
      description = "Rounds of both phases, in alternating order (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Override
  public Integer call() throws Exception {
    broker.run(
        bootstrap ->
            new DialogueBenchmark(
                    new DialogueBenchmark.Options(
                        bootstrap,
                        broker.modelsDir(),
                        batch.batchConfig(GuessWhatModule.NAME),
                        batch.intraOpThreads(GuessWhatModule.NAME),
                        broker.partitions(),
                        concurrentGames,
                        rounds),
                    System.out)
                .run());
    return 0;
  }
}
