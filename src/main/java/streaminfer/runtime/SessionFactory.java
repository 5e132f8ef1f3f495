package streaminfer.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens ONNX Runtime sessions on the device a {@link DevicePolicy} allows. */
final class SessionFactory {
  private static final Logger LOG = LoggerFactory.getLogger(SessionFactory.class);

  /** A session and where it runs; {@code fallbackReason} says why CUDA was not used, if wanted. */
  record OpenedSession(OrtSession session, Device device, Optional<String> fallbackReason) {}

  private final OrtEnvironment environment;

  SessionFactory(OrtEnvironment environment) {
    this.environment = environment;
  }

  OpenedSession open(Path modelFile, DevicePolicy policy, SessionTuning tuning)
      throws OrtException {
    if (policy == DevicePolicy.CPU) {
      return new OpenedSession(create(modelFile, tuning, false), Device.CPU, Optional.empty());
    }
    String reason;
    if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
      reason =
          "this ONNX Runtime build has no CUDA execution provider"
              + " (build with `make build GPU=1`: onnxruntime_gpu, which needs CUDA 12.x and cuDNN 9)";
    } else {
      try {
        OrtSession session = create(modelFile, tuning, true);
        LOG.info("{}: running on CUDA device {}", modelFile, tuning.cudaDeviceId());
        return new OpenedSession(session, Device.CUDA, Optional.empty());
      } catch (OrtException e) {
        List<String> missing = CudaLibraries.missing(CudaLibraries.searchPath());
        reason =
            "the CUDA execution provider failed to load: "
                + e.getMessage()
                + (missing.isEmpty()
                    ? ""
                    : " (missing on this host: "
                        + String.join(", ", missing)
                        + "; onnxruntime_gpu needs CUDA 12.x and cuDNN 9)");
      }
    }
    if (policy == DevicePolicy.GPU) {
      throw new ModelLoadException(modelFile + ": device policy is gpu but " + reason);
    }
    LOG.warn("{}: device policy prefer-gpu, falling back to CPU because {}", modelFile, reason);
    return new OpenedSession(create(modelFile, tuning, false), Device.CPU, Optional.of(reason));
  }

  private OrtSession create(Path modelFile, SessionTuning tuning, boolean cuda)
      throws OrtException {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      // Spinning workers would burn the cores the Kafka clients and the broker need between runs.
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      if (tuning.intraOpThreads() > 0) {
        options.setIntraOpNumThreads(tuning.intraOpThreads());
      }
      if (cuda) {
        options.addCUDA(tuning.cudaDeviceId());
      }
      return environment.createSession(modelFile.toString(), options);
    }
  }
}
