package streaminfer.cli;

import java.util.List;
import picocli.CommandLine;
import streaminfer.family.FamilyModule;

/**
 * Adds a family's picocli command objects under a command, each by its own {@code @Command} name.
 */
final class Subcommands {
  private Subcommands() {}

  static void add(CommandLine parent, FamilyModule<?> module, List<Object> commands) {
    for (Object command : commands) {
      try {
        parent.addSubcommand(command);
      } catch (CommandLine.InitializationException e) {
        throw new IllegalStateException(
            "family "
                + module.name()
                + " brings a command "
                + parent.getCommandName()
                + " cannot take: "
                + e.getMessage(),
            e);
      }
    }
  }
}
