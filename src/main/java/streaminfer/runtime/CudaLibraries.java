package streaminfer.runtime;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The shared libraries Maven's {@code onnxruntime_gpu} loads for the CUDA execution provider (CUDA
 * 12.x and cuDNN 9), and which of them a host lacks: ORT's own error names only the first library
 * it failed on, an operator wants the whole list at once.
 */
final class CudaLibraries {
  static final List<String> REQUIRED =
      List.of(
          "libcudart.so.12",
          "libcublas.so.12",
          "libcublasLt.so.12",
          "libcufft.so.11",
          "libcurand.so.10",
          "libcudnn.so.9");

  private CudaLibraries() {}

  /** The required libraries found in none of {@code directories}. */
  static List<String> missing(List<Path> directories) {
    List<String> missing = new ArrayList<>();
    for (String library : REQUIRED) {
      if (directories.stream().noneMatch(directory -> Files.exists(directory.resolve(library)))) {
        missing.add(library);
      }
    }
    return missing;
  }

  /**
   * Where the dynamic loader and ORT look: {@code LD_LIBRARY_PATH}, {@code
   * -Donnxruntime.native.path}, the CUDA toolkit's default and the distribution's library dirs.
   */
  static List<Path> searchPath() {
    Set<String> directories = new LinkedHashSet<>();
    String ldPath = System.getenv("LD_LIBRARY_PATH");
    if (ldPath != null) {
      directories.addAll(List.of(ldPath.split(File.pathSeparator)));
    }
    String nativePath = System.getProperty("onnxruntime.native.path");
    if (nativePath != null) {
      directories.add(nativePath);
    }
    directories.addAll(
        List.of(
            "/usr/local/cuda/lib64",
            "/usr/local/cuda/targets/x86_64-linux/lib",
            "/usr/lib/x86_64-linux-gnu",
            "/lib/x86_64-linux-gnu",
            "/usr/lib64"));
    return directories.stream().filter(d -> !d.isBlank()).map(Path::of).toList();
  }
}
