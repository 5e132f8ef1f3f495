package streaminfer.replay;

import java.nio.file.Path;

/** The output file exists and the user did not say whether to overwrite or resume it. */
public final class RecordingExistsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  RecordingExistsException(Path file) {
    super(file + " exists: --overwrite replaces it, --resume continues the recording in it");
  }
}
