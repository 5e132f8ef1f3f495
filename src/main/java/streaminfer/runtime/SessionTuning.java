package streaminfer.runtime;

/**
 * ONNX Runtime threading for one session.
 *
 * @param intraOpThreads threads one run may use inside an operator; 0 lets ORT use every core
 * @param cudaDeviceId the GPU ordinal used when the device policy allows CUDA
 */
public record SessionTuning(int intraOpThreads, int cudaDeviceId) {
  public SessionTuning {
    if (intraOpThreads < 0) {
      throw new IllegalArgumentException("intraOpThreads must be >= 0, was " + intraOpThreads);
    }
    if (cudaDeviceId < 0) {
      throw new IllegalArgumentException("cudaDeviceId must be >= 0, was " + cudaDeviceId);
    }
  }

  public static SessionTuning defaults() {
    return new SessionTuning(0, 0);
  }
}
