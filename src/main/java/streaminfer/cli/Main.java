package streaminfer.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

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
      BenchCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
