package streaminfer.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder replaced by the benchmark. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks.")
final class BenchCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    return 0;
  }
}
