package streaminfer.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The pipelines benchmark's results as markdown (machine facts, then one row per pipeline: the
 * engine, each ceiling, the lowest one and every ratio), and the generated section of {@code
 * docs/benchmarks.md} it replaces, leaving the hand-written history around it untouched.
 */
public final class BenchReport {
  static final String BEGIN = "<!-- bench pipelines: generated section, begin -->";
  static final String END = "<!-- bench pipelines: generated section, end -->";

  private BenchReport() {}

  /**
   * @param command the exact command line that produced the figures
   * @param notes one line each, printed under the table
   */
  public static String markdown(
      MachineFacts machine, String when, String command, List<Ceilings> rows, List<String> notes) {
    Set<String> names = new LinkedHashSet<>();
    rows.forEach(row -> names.addAll(row.ceilings().keySet()));
    StringBuilder out = new StringBuilder();
    out.append(machine.markdown()).append('\n');
    out.append("Measured ").append(when).append(" by `").append(command).append("`.\n\n");
    List<String> header = new ArrayList<>(List.of("pipeline", "engine"));
    names.forEach(header::add);
    header.addAll(List.of("lowest ceiling", "engine / lowest"));
    names.forEach(name -> header.add("engine / " + name));
    line(out, header);
    List<String> rule = new ArrayList<>();
    header.forEach(h -> rule.add("---"));
    line(out, rule);
    for (Ceilings row : rows) {
      List<String> cells = new ArrayList<>(List.of("`" + row.pipeline() + "`", rate(row.engine())));
      names.forEach(
          name ->
              cells.add(row.ceilings().containsKey(name) ? rate(row.ceilings().get(name)) : "—"));
      cells.add(row.binding());
      cells.add("**" + percent(row.headline()) + "**");
      names.forEach(
          name -> cells.add(row.ceilings().containsKey(name) ? percent(row.ratio(name)) : "—"));
      line(out, cells);
    }
    if (!notes.isEmpty()) {
      out.append('\n');
      notes.forEach(note -> out.append("- ").append(note).append('\n'));
    }
    return out.toString();
  }

  /**
   * Puts {@code section} between the generated markers of {@code document}: in place of what was
   * there, else before the document's first second-level heading (else at its end).
   */
  public static String replaceSection(String document, String section) {
    String block = BEGIN + "\n" + section.strip() + "\n" + END;
    int begin = document.indexOf(BEGIN);
    int end = document.indexOf(END);
    if (begin >= 0 && end > begin) {
      return document.substring(0, begin) + block + document.substring(end + END.length());
    }
    int heading = document.indexOf("\n## ");
    if (heading < 0) {
      return document.stripTrailing() + "\n\n" + block + "\n";
    }
    return document.substring(0, heading + 1) + block + "\n\n" + document.substring(heading + 1);
  }

  /** Rewrites the generated section of the file at {@code path}. */
  public static void writeSection(Path path, String section) throws IOException {
    Files.writeString(path, replaceSection(Files.readString(path), section));
  }

  private static void line(StringBuilder out, List<String> cells) {
    out.append("| ").append(String.join(" | ", cells)).append(" |\n");
  }

  static String rate(double perSecond) {
    return String.format(Locale.ROOT, "%,.0f/s", perSecond);
  }

  static String percent(double ratio) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * ratio);
  }
}
