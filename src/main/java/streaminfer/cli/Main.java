package streaminfer.cli;

import java.util.Collection;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import streaminfer.config.ConfigException;
import streaminfer.family.FamilyModule;
import streaminfer.family.FamilyModules;
import streaminfer.stream.KafkaConnectionException;

/** The {@code streaminfer} executable. */
@Command(
    name = "streaminfer",
    mixinStandardHelpOptions = true,
    version = "streaminfer 0.1.0",
    description = "Reactive streaming inference: Kafka in, ONNX Runtime, Kafka out.",
    subcommands = {
      ServeCommand.class,
      BrokerCommand.class,
      ProduceCommand.class,
      RecordCommand.class,
      ReplayCommand.class,
      ResetOffsetsCommand.class,
      BenchCommand.class,
      CompareCommand.class,
      ConfigCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /**
   * The command tree, with every family module's produce and bench commands; a configuration error
   * ends the command with its one-line message (the key, the value, what is allowed) and exit
   * status 2, not a stack trace.
   */
  static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new Main());
    // Families bring their own produce and bench subcommands; this class names none of them.
    Collection<FamilyModule<?>> modules = FamilyModules.discover().all();
    ProduceCommand.addFamilyCommands(commandLine.getSubcommands().get("produce"), modules);
    BenchCommand.addFamilyCommands(commandLine.getSubcommands().get("bench"), modules);
    commandLine.setExecutionExceptionHandler(
        (error, line, parsed) -> {
          if (error instanceof ConfigException) {
            line.getErr().println("configuration error: " + error.getMessage());
            return 2;
          }
          if (error instanceof KafkaConnectionException) {
            line.getErr().println("cannot connect to Kafka: " + error.getMessage());
            return 3;
          }
          throw error;
        });
    return commandLine;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
