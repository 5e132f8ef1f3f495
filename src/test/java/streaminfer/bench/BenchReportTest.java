package streaminfer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportTest {
  private static final MachineFacts MACHINE =
      new MachineFacts(2, "Some CPU @ 2.0GHz", "OpenJDK 64-Bit Server VM 17", "1.23.2", "Linux");

  private static Ceilings row(String pipeline, double raw, double inProcess, double io, double e) {
    Map<String, Double> ceilings = new LinkedHashMap<>();
    ceilings.put("raw ORT", raw);
    ceilings.put("in process", inProcess);
    ceilings.put("Kafka pass-through", io);
    return new Ceilings(pipeline, ceilings, e);
  }

  @Test
  void writesMachineFactsTheCommandAndOneRowPerPipelineWithEveryRatio() {
    String markdown =
        BenchReport.markdown(
            MACHINE,
            "2026-11-30T14:50:00Z",
            "streaminfer bench pipelines --rounds 2",
            List.of(row("dgex", 30000, 12000, 6000, 5400)),
            List.of("a note"));

    assertTrue(markdown.startsWith("Machine: 2 cores (Some CPU @ 2.0GHz), OpenJDK"), markdown);
    assertTrue(markdown.contains("ONNX Runtime 1.23.2"), markdown);
    assertTrue(markdown.contains("`streaminfer bench pipelines --rounds 2`"), markdown);
    assertTrue(
        markdown.contains(
            "| `dgex` | 5,400/s | 30,000/s | 12,000/s | 6,000/s | Kafka pass-through | **90.0%** |"
                + " 18.0% | 45.0% | 90.0% |"),
        markdown);
    assertTrue(markdown.contains("\n- a note\n"), markdown);
  }

  @Test
  void insertsTheGeneratedSectionBeforeTheFirstHeadingAndKeepsTheHistory() {
    String document = "# Benchmarks\nintro\n\n## D-GEX\nold figures\n";

    String written = BenchReport.replaceSection(document, "new table");

    assertEquals(
        "# Benchmarks\nintro\n\n"
            + BenchReport.BEGIN
            + "\nnew table\n"
            + BenchReport.END
            + "\n\n## D-GEX\nold figures\n",
        written);
  }

  @Test
  void replacesOnlyThePreviousGeneratedSection() {
    String once = BenchReport.replaceSection("# B\n\n## D-GEX\nold\n", "first run");

    String twice = BenchReport.replaceSection(once, "second run");

    assertTrue(twice.contains("second run"));
    assertTrue(!twice.contains("first run"));
    assertTrue(twice.endsWith("## D-GEX\nold\n"));
    assertEquals(1, twice.split(BenchReport.BEGIN, -1).length - 1);
  }

  @Test
  void rewritesTheFileInPlace(@TempDir Path dir) throws IOException {
    Path doc = dir.resolve("benchmarks.md");
    Files.writeString(doc, "# B\n\n## history\nkept\n");

    BenchReport.writeSection(doc, "table");

    assertTrue(Files.readString(doc).contains("table\n" + BenchReport.END));
    assertTrue(Files.readString(doc).endsWith("## history\nkept\n"));
  }

  @Test
  void readsTheCpuModelFromCpuinfo(@TempDir Path dir) throws IOException {
    Path cpuinfo = dir.resolve("cpuinfo");
    Files.writeString(cpuinfo, "processor\t: 0\nmodel name\t: Test CPU 3000\nflags\t: sse\n");

    assertEquals(Optional.of("Test CPU 3000"), MachineFacts.cpuModel(cpuinfo));
    assertEquals(Optional.empty(), MachineFacts.cpuModel(dir.resolve("missing")));
  }

  @Test
  void plotsOneBarPerCeilingAndOneForTheEngineAsAShareOfTheLowest() {
    String svg = BenchPlot.svg("title", List.of(row("ssd", 2800, 2000, 9000, 1800)));

    assertTrue(svg.startsWith("<svg"), svg);
    assertEquals(4 + 1, svg.split("<rect", -1).length - 1, "4 bars and the background");
    assertTrue(svg.contains("1,800/s (90.0%)"), svg);
    assertTrue(svg.contains("2,000/s (100.0%)"), svg);
  }
}
