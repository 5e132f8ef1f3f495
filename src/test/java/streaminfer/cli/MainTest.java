package streaminfer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import streaminfer.family.FamilyModule;
import streaminfer.family.FamilyModules;

class MainTest {
  private static Set<String> namesOf(Function<FamilyModule<?>, List<Object>> commands) {
    Set<String> names = new TreeSet<>();
    for (FamilyModule<?> module : FamilyModules.discover().all()) {
      commands.apply(module).forEach(c -> names.add(new CommandLine(c).getCommandName()));
    }
    return names;
  }

  private static Set<String> subcommands(CommandLine cli, String name) {
    return new TreeSet<>(cli.getSubcommands().get(name).getSubcommands().keySet());
  }

  @Test
  void offersEveryFamilysProduceAndBenchCommands() {
    CommandLine cli = Main.commandLine();
    Set<String> produce = namesOf(FamilyModule::produceCommands);
    Set<String> bench = namesOf(FamilyModule::benchCommands);

    assertFalse(produce.isEmpty(), "the shipped families bring produce commands");
    assertFalse(bench.isEmpty(), "the shipped families bring benchmarks");
    assertEquals(produce, subcommands(cli, "produce"));
    // Beside the families' own: the engine-wide ones, which name no family.
    Set<String> allBench = new java.util.TreeSet<>(bench);
    allBench.add("delivery");
    allBench.add("pipelines");
    assertEquals(allBench, subcommands(cli, "bench"));
  }

  @Test
  void eachCommandTreeHasItsOwnCommandObjects() {
    CommandLine first = Main.commandLine().getSubcommands().get("bench");
    CommandLine second = Main.commandLine().getSubcommands().get("bench");

    for (String name : first.getSubcommands().keySet()) {
      assertNotSame(
          first.getSubcommands().get(name).getCommand(),
          second.getSubcommands().get(name).getCommand(),
          name);
    }
  }
}
