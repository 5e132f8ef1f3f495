package streaminfer.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import streaminfer.config.ConfigPrinter;
import streaminfer.config.EngineSettings;

/** Validates or shows a configuration without starting anything. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Check or print a configuration file (with environment and flags applied).",
    subcommands = {ConfigCommand.Check.class, ConfigCommand.Print.class})
final class ConfigCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description =
          "Validate: exit 0 and say so, or name the key, the bad value and what is allowed.")
  static final class Check implements Callable<Integer> {
    @Mixin ConfigOptions config;

    @Override
    public Integer call() {
      EngineSettings settings = config.load();
      System.out.printf(
          "configuration is valid: %d pipeline(s): %s%n",
          settings.pipelines().size(),
          settings.pipelines().stream()
              .map(p -> p.name() + " (" + p.family().module().name() + ")")
              .toList());
      return 0;
    }
  }

  @Command(
      name = "print",
      mixinStandardHelpOptions = true,
      description = "Print the effective configuration, defaults filled in, secrets masked.")
  static final class Print implements Callable<Integer> {
    @Mixin ConfigOptions config;

    @Override
    public Integer call() {
      System.out.print(ConfigPrinter.yaml(config.load()));
      return 0;
    }
  }
}
