package streaminfer.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pipelines benchmark as an SVG bar chart: per pipeline one bar for each ceiling and one for
 * the engine, each as a share of that pipeline's lowest ceiling (so pipelines of very different
 * rates share one axis), labelled with its rate. Plain SVG text: no plotting library, readable in a
 * diff.
 */
public final class BenchPlot {
  private static final int LEFT = 230;
  private static final int BAR_WIDTH = 420;
  private static final int BAR_HEIGHT = 16;
  private static final int GROUP_GAP = 18;
  private static final String[] COLOURS = {"#9ecae1", "#6baed6", "#3182bd", "#bdbdbd"};

  private BenchPlot() {}

  public static String svg(String title, List<Ceilings> rows) {
    double largest =
        rows.stream()
            .mapToDouble(
                row ->
                    Math.max(
                        row.headline(),
                        row.ceilings().values().stream()
                            .mapToDouble(rate -> rate / row.minimum())
                            .max()
                            .orElse(1)))
            .max()
            .orElse(1);
    // Bars beyond 4x the lowest ceiling are clipped (raw ORT can be far above the rest).
    double axisMax = Math.min(largest, 4.0);
    StringBuilder body = new StringBuilder();
    int y = 40;
    for (Ceilings row : rows) {
      body.append(text(8, y + BAR_HEIGHT, row.pipeline(), "bold"));
      int colour = 0;
      for (Map.Entry<String, Double> ceiling : row.ceilings().entrySet()) {
        y =
            bar(
                body,
                y,
                ceiling.getKey(),
                ceiling.getValue(),
                row.minimum(),
                axisMax,
                COLOURS[colour]);
        colour = Math.min(colour + 1, COLOURS.length - 1);
      }
      y = bar(body, y, "engine", row.engine(), row.minimum(), axisMax, "#e6550d");
      y += GROUP_GAP;
    }
    int width = LEFT + BAR_WIDTH + 170;
    double full = LEFT + BAR_WIDTH / axisMax;
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"12\">%n",
            width,
            y + 20));
    svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    svg.append(text(8, 20, escape(title), "bold"));
    svg.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"%.1f\" y1=\"28\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\""
                + " stroke-dasharray=\"4,3\"/>%n",
            full,
            full,
            y));
    svg.append(text((int) full + 4, 36, "lowest ceiling = 100%", "normal"));
    svg.append(body);
    svg.append("</svg>\n");
    return svg.toString();
  }

  private static int bar(
      StringBuilder out,
      int y,
      String label,
      double rate,
      double minimum,
      double axisMax,
      String colour) {
    double share = rate / minimum;
    double length = BAR_WIDTH * Math.min(share, axisMax) / axisMax;
    out.append(text(LEFT - 125, y + BAR_HEIGHT - 4, escape(label), "normal"));
    out.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n",
            LEFT,
            y,
            length,
            BAR_HEIGHT - 2,
            colour));
    out.append(
        text(
            (int) (LEFT + length + 4),
            y + BAR_HEIGHT - 4,
            BenchReport.rate(rate) + " (" + BenchReport.percent(share) + ")",
            "normal"));
    return y + BAR_HEIGHT;
  }

  private static String text(int x, int y, String content, String weight) {
    return String.format(
        Locale.ROOT,
        "<text x=\"%d\" y=\"%d\" font-weight=\"%s\">%s</text>%n",
        x,
        y,
        weight,
        content);
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
