package streaminfer.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import streaminfer.batch.BatchConfig;
import streaminfer.batch.BatchListener;
import streaminfer.codec.AvroCodec;
import streaminfer.codec.Floats;
import streaminfer.codec.WriterSchemas;
import streaminfer.family.dgex.GeneExpressionTask;
import streaminfer.runtime.DevicePolicy;
import streaminfer.runtime.ModelRepository;
import streaminfer.runtime.SessionTuning;
import streaminfer.runtime.Warmup;
import streaminfer.v1.GeneExpression;
import streaminfer.v1.GenePanel;

class ModelPipelineTest {
  private final AvroCodec<GenePanel> panels =
      AvroCodec.forType(GenePanel.class, WriterSchemas.v1());

  @Test
  void warmsUpEndToEndInBatchesOfEachSizeWithoutCountingInTheBatchersMetrics() {
    AtomicInteger batches = new AtomicInteger();
    BatchListener counting = (size, nanos, failed) -> batches.incrementAndGet();
    try (BatchedModel model =
        new BatchedModel(
            new ModelRepository(Path.of("models"))
                .open("dgex", OptionalInt.empty(), DevicePolicy.CPU, new SessionTuning(1, 0)),
            BatchConfig.defaults(),
            counting)) {
      ModelPipeline<GenePanel, GeneExpression> pipeline =
          new ModelPipeline<>(
              panels,
              AvroCodec.forType(GeneExpression.class, WriterSchemas.v1()),
              new GeneExpressionTask(model.session().metadata()),
              model,
              Runnable::run,
              "out");
      int width = model.session().metadata().inputs().get(0).rowSize();
      List<byte[]> samples = new ArrayList<>();
      samples.add(panel("good", new float[width]));
      samples.add(panel("too-short", new float[3]));

      int ran = pipeline.warmUp(samples, new Warmup(2, List.of(1, 4)));

      assertEquals(10, ran, "2 runs of a batch of 1 and one of 4");
      assertEquals(0, batches.get(), "warm-up bypasses the batcher and its metrics");
    }
  }

  private byte[] panel(String id, float[] values) {
    return panels.encode(
        GenePanel.newBuilder().setSampleId(id).setValues(Floats.view(values)).build());
  }
}
