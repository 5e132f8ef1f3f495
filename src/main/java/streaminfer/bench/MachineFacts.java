package streaminfer.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** What a benchmark table is only true of: the machine and software it was measured on. */
public record MachineFacts(int cores, String cpuModel, String jvm, String ortVersion, String os) {
  /** This machine; the CPU model from {@code /proc/cpuinfo}, "unknown" where it has none. */
  public static MachineFacts current() {
    return new MachineFacts(
        Runtime.getRuntime().availableProcessors(),
        cpuModel(Path.of("/proc/cpuinfo")).orElse("unknown"),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        installedOrtVersion(),
        System.getProperty("os.name") + " " + System.getProperty("os.arch"));
  }

  /** The first {@code model name} line of a cpuinfo file. */
  static Optional<String> cpuModel(Path cpuinfo) {
    try {
      return Files.readAllLines(cpuinfo).stream()
          .filter(line -> line.startsWith("model name"))
          .map(line -> line.substring(line.indexOf(':') + 1).trim())
          .findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String installedOrtVersion() {
    try {
      return ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion();
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  /** One markdown line. */
  public String markdown() {
    return String.format(
        "Machine: %d cores (%s), %s, ONNX Runtime %s, %s.", cores, cpuModel, jvm, ortVersion, os);
  }
}
