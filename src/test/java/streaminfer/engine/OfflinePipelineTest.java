package streaminfer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import streaminfer.config.ConfigBuilder;
import streaminfer.config.EngineSettings;
import streaminfer.family.DemoSource;
import streaminfer.stream.Output;

class OfflinePipelineTest {
  @Test
  void runsAPipelinesOwnRecordsThroughItsProcessorWithoutKafka() throws Exception {
    // No broker listens there: the offline pipeline never makes a Kafka client.
    EngineSettings settings =
        ConfigBuilder.of("127.0.0.1:1", Path.of("models"))
            .pipeline("dgex")
            .defaults("device", "cpu")
            .build();
    try (OfflinePipeline offline = OfflinePipeline.start(settings, settings.pipelines().get(0));
        DemoSource demo =
            settings
                .pipelines()
                .get(0)
                .family()
                .module()
                .demo(settings.modelsDir())
                .orElseThrow()) {
      long rowsBefore = offline.mainModelRows();
      for (int i = 0; i < 8; i++) {
        DemoSource.KeyedValue record = demo.next().apply(i);
        List<Output> outputs =
            offline
                .processor()
                .process(i % 3, record.key(), record.value())
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        assertEquals(1, outputs.size());
        assertEquals("gene-expression", outputs.get(0).topic());
        assertTrue(outputs.get(0).value().length > 0);
      }
      assertEquals(8, offline.mainModelRows() - rowsBefore);
      assertEquals("dgex", offline.mainSession().metadata().name());
    }
  }
}
