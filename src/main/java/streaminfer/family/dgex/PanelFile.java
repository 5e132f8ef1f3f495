package streaminfer.family.dgex;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.Optional;
import streaminfer.codec.Floats;
import streaminfer.family.InvalidInputException;
import streaminfer.v1.GenePanel;

/**
 * Reads panels from TSV: one panel per line, {@code sampleId<TAB>value<TAB>value...} in the model's
 * landmark order; blank lines, {@code #} comments and a header starting with {@code sampleId} are
 * skipped.
 */
public final class PanelFile {
  private final BufferedReader reader;
  private int lineNumber;

  public PanelFile(BufferedReader reader) {
    this.reader = reader;
  }

  public Optional<GenePanel> next() throws IOException {
    String line;
    while ((line = reader.readLine()) != null) {
      lineNumber++;
      if (line.isBlank() || line.startsWith("#") || line.startsWith("sampleId")) {
        continue;
      }
      return Optional.of(parse(line));
    }
    return Optional.empty();
  }

  private GenePanel parse(String line) {
    String[] fields = line.split("\t");
    float[] values = new float[fields.length - 1];
    for (int i = 1; i < fields.length; i++) {
      try {
        values[i - 1] = Float.parseFloat(fields[i].trim());
      } catch (NumberFormatException e) {
        throw new InvalidInputException(
            "line " + lineNumber + ", column " + (i + 1) + ": not a number: '" + fields[i] + "'");
      }
    }
    return GenePanel.newBuilder().setSampleId(fields[0]).setValues(Floats.view(values)).build();
  }
}
