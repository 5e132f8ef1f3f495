package streaminfer.cli;

import java.util.Collection;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import streaminfer.bench.DeliveryBenchCommand;
import streaminfer.bench.PipelineBenchCommand;
import streaminfer.family.FamilyModule;

/**
 * Side-by-side benchmarks, printed as tables; one subcommand per benchmark a family brings ({@link
 * FamilyModule#benchCommands}).
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmark a pipeline against its ceilings and a per-record baseline.",
    subcommands = {PipelineBenchCommand.class, DeliveryBenchCommand.class})
final class BenchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Adds every module's benchmarks under {@code bench}. */
  static void addFamilyCommands(CommandLine bench, Collection<FamilyModule<?>> modules) {
    for (FamilyModule<?> module : modules) {
      Subcommands.add(bench, module, module.benchCommands());
    }
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
