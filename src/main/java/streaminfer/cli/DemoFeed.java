package streaminfer.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import streaminfer.client.PacedProducer;
import streaminfer.config.EngineSettings;
import streaminfer.config.PipelineSettings;
import streaminfer.family.DemoSource;

/** What {@code serve --demo} feeds: each served pipeline's family's demo records, paced. */
final class DemoFeed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DemoFeed.class);

  private final List<PacedProducer> producers;
  private final List<DemoSource> sources;

  private DemoFeed(List<PacedProducer> producers, List<DemoSource> sources) {
    this.producers = producers;
    this.sources = sources;
  }

  /** One feed per input topic: two pipelines reading one topic share its records. */
  static DemoFeed start(EngineSettings settings) {
    List<PacedProducer> producers = new ArrayList<>();
    List<DemoSource> sources = new ArrayList<>();
    Map<String, PipelineSettings> byInput = new java.util.LinkedHashMap<>();
    settings.pipelines().forEach(pipeline -> byInput.putIfAbsent(pipeline.inputTopic(), pipeline));
    byInput.forEach(
        (topic, pipeline) -> {
          var demo = pipeline.family().module().demo(settings.modelsDir());
          if (demo.isEmpty()) {
            LOG.info("family {} has no demo feed", pipeline.family().module().name());
            return;
          }
          DemoSource source = demo.get();
          sources.add(source);
          producers.add(
              new PacedProducer(
                  settings.kafka(),
                  topic,
                  (int) Math.max(1, Math.round(source.recordsPerSecond())),
                  Long.MAX_VALUE,
                  n -> {
                    DemoSource.KeyedValue record = source.next().apply(n);
                    return new PacedProducer.Keyed(record.key(), record.value());
                  }));
        });
    producers.forEach(producer -> producer.startInBackground("demo-feed"));
    return new DemoFeed(producers, sources);
  }

  @Override
  public void close() {
    producers.forEach(PacedProducer::close);
    for (DemoSource source : sources) {
      try {
        source.close();
      } catch (Exception e) {
        // The demo is stopping anyway; nothing to recover.
      }
    }
  }
}
