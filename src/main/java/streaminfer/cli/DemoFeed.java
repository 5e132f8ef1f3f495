package streaminfer.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import streaminfer.codec.AvroCodec;
import streaminfer.codec.WriterSchemas;
import streaminfer.family.dgex.SyntheticPanels;
import streaminfer.runtime.ModelRepository;
import streaminfer.v1.GenePanel;

/** What {@code serve --demo} feeds: synthetic records for each served pipeline, paced. */
final class DemoFeed implements AutoCloseable {
  private final List<PacedProducer> producers;

  private DemoFeed(List<PacedProducer> producers) {
    this.producers = producers;
  }

  static DemoFeed start(String bootstrap, Path modelsDir, List<String> pipelines, int rate) {
    if (!pipelines.equals(List.of("dgex"))) {
      throw new IllegalArgumentException("the demo feed knows the dgex pipeline only");
    }
    Path version = new ModelRepository(modelsDir).versionDirectory("dgex", OptionalInt.empty());
    SyntheticPanels panels = SyntheticPanels.fromGolden(version, 42);
    AvroCodec<GenePanel> codec = AvroCodec.forType(GenePanel.class, WriterSchemas.v1());
    PacedProducer producer =
        new PacedProducer(
            bootstrap,
            "gene-panels",
            rate,
            Long.MAX_VALUE,
            n -> {
              String key = "demo-" + n;
              return new PacedProducer.Keyed(key, codec.encode(panels.next(key)));
            });
    producer.startInBackground("demo-feed");
    return new DemoFeed(List.of(producer));
  }

  @Override
  public void close() {
    producers.forEach(PacedProducer::close);
  }
}
