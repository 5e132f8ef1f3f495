package streaminfer.client;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Progress of long work: on a terminal one line, redrawn in place, with a bar, rate and ETA; in a
 * log (no terminal) a plain line every so often. Used from one thread.
 */
public final class Progress implements AutoCloseable {
  /** Starts the progress display of one piece of work. */
  @FunctionalInterface
  public interface Factory {
    Progress start(String label, String unit, long total);
  }

  /** {@link #onStdout}. */
  public static final Factory STDOUT = Progress::onStdout;

  private static final long REDRAW_NANOS = Duration.ofMillis(200).toNanos();
  private static final int BAR_WIDTH = 24;

  private final String label;
  private final String unit;
  private final long total;
  private final PrintStream out;
  private final boolean terminal;
  private final long plainEveryNanos;
  private final long startNanos = System.nanoTime();
  private long done;
  private long bytes;
  private long lastPrintNanos = startNanos;
  private boolean closed;

  /**
   * @param total how many units the work has; 0 or less when unknown
   * @param terminal redraw one line in place (else print plain lines)
   * @param plainEvery how often a plain line is printed
   */
  public Progress(
      String label,
      String unit,
      long total,
      PrintStream out,
      boolean terminal,
      Duration plainEvery) {
    this.label = label;
    this.unit = unit;
    this.total = total;
    this.out = out;
    this.terminal = terminal;
    this.plainEveryNanos = plainEvery.toNanos();
  }

  /** On standard output; redrawn in place when it is a terminal, else a line every 5 s. */
  public static Progress onStdout(String label, String unit, long total) {
    return new Progress(
        label, unit, total, System.out, System.console() != null, Duration.ofSeconds(5));
  }

  /** Adds finished units and the bytes they moved. */
  public void advance(long units, long unitBytes) {
    done += units;
    bytes += unitBytes;
    long now = System.nanoTime();
    if (now - lastPrintNanos >= (terminal ? REDRAW_NANOS : plainEveryNanos)) {
      lastPrintNanos = now;
      print(now, false);
    }
  }

  public long done() {
    return done;
  }

  /** Prints the final line (once). */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      print(System.nanoTime(), true);
    }
  }

  private void print(long now, boolean last) {
    String line = line(now);
    if (terminal) {
      out.print("\r" + line + (last ? System.lineSeparator() : ""));
    } else {
      out.println(line);
    }
    out.flush();
  }

  String line(long now) {
    double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
    double rate = done / seconds;
    StringBuilder line = new StringBuilder(label).append(' ');
    if (total > 0) {
      double fraction = Math.min(1.0, (double) done / total);
      if (terminal) {
        int filled = (int) Math.round(fraction * BAR_WIDTH);
        line.append('[')
            .append("#".repeat(filled))
            .append(".".repeat(BAR_WIDTH - filled))
            .append("] ");
      }
      line.append(
          String.format(Locale.ROOT, "%,d/%,d %s (%.0f%%)", done, total, unit, fraction * 100));
    } else {
      line.append(String.format(Locale.ROOT, "%,d %s", done, unit));
    }
    line.append(String.format(Locale.ROOT, ", %s, %,.0f %s/s", megabytes(bytes), rate, unit));
    if (total > 0 && done < total && rate > 0) {
      line.append(", ETA ").append(clock((long) ((total - done) / rate)));
    } else {
      line.append(", ").append(clock((long) seconds)).append(" elapsed");
    }
    return line.toString();
  }

  private static String megabytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }

  private static String clock(long seconds) {
    return String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
  }
}
