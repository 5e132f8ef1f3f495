package streaminfer.runtime;

/** The execution provider a session actually runs on. */
public enum Device {
  CPU,
  CUDA
}
