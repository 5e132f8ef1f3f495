package streaminfer.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CudaLibrariesTest {
  @TempDir Path cuda;
  @TempDir Path cudnn;

  @Test
  void namesEveryRequiredLibraryFoundInNoDirectory() throws IOException {
    Files.createFile(cuda.resolve("libcudart.so.12"));
    Files.createFile(cuda.resolve("libcublas.so.12"));
    Files.createFile(cudnn.resolve("libcudnn.so.9"));
    assertEquals(
        List.of("libcublasLt.so.12", "libcufft.so.11", "libcurand.so.10"),
        CudaLibraries.missing(List.of(cuda, cudnn)));
  }

  @Test
  void findsNothingMissingWhenEveryLibraryIsPresent() throws IOException {
    for (String library : CudaLibraries.REQUIRED) {
      Files.createFile(cuda.resolve(library));
    }
    assertTrue(CudaLibraries.missing(List.of(cudnn, cuda)).isEmpty());
  }

  @Test
  void searchesTheOnnxRuntimeNativePathToo() {
    String previous = System.getProperty("onnxruntime.native.path");
    System.setProperty("onnxruntime.native.path", cudnn.toString());
    try {
      assertTrue(CudaLibraries.searchPath().contains(cudnn));
    } finally {
      if (previous == null) {
        System.clearProperty("onnxruntime.native.path");
      } else {
        System.setProperty("onnxruntime.native.path", previous);
      }
    }
  }
}
