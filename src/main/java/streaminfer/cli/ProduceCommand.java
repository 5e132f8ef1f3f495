package streaminfer.cli;

import java.util.Collection;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import streaminfer.family.FamilyModule;

/**
 * Produces input records, encoded per the wire contract, for trying the engine out; one subcommand
 * per input a family knows how to make ({@link FamilyModule#produceCommands}).
 */
@Command(
    name = "produce",
    mixinStandardHelpOptions = true,
    description = "Produce input records to Kafka.")
final class ProduceCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Adds every module's produce commands under {@code produce}. */
  static void addFamilyCommands(CommandLine produce, Collection<FamilyModule<?>> modules) {
    for (FamilyModule<?> module : modules) {
      Subcommands.add(produce, module, module.produceCommands());
    }
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
