package streaminfer.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import streaminfer.config.ConfigException;
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
      BenchCommand.class,
      ConfigCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /**
   * The command tree; a configuration error ends the command with its one-line message (the key,
   * the value, what is allowed) and exit status 2, not a stack trace.
   */
  static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new Main());
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
