package streaminfer.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import streaminfer.batch.BatchConfig;
import streaminfer.batch.BatchListener;
import streaminfer.codec.AvroCodec;
import streaminfer.codec.Floats;
import streaminfer.codec.WriterSchemas;
import streaminfer.family.Drawable;
import streaminfer.family.FamilyTask;
import streaminfer.family.dgex.GeneExpressionTask;
import streaminfer.runtime.DevicePolicy;
import streaminfer.runtime.ModelRepository;
import streaminfer.runtime.SessionTuning;
import streaminfer.runtime.Tensor;
import streaminfer.runtime.Warmup;
import streaminfer.stream.Output;
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

  @Test
  void drawsNothingWhileNobodyWatchesAndASampledPictureOnceSomeoneDoes() throws Exception {
    try (BatchedModel model = dgex()) {
      DrawnPanels task = new DrawnPanels(new GeneExpressionTask(model.session().metadata()), false);
      WatchingViewers viewers = new WatchingViewers();
      ModelPipeline<GenePanel, GeneExpression> pipeline = pipeline(model, task, viewers);
      byte[] panel = panel("s-1", new float[model.session().metadata().inputs().get(0).rowSize()]);

      pipeline.process(0, "s-1", panel).toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertEquals(0, task.moments.get(), "an unwatched pipeline asks the task nothing");

      viewers.watched = true;
      pipeline.process(0, "s-1", panel).toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertEquals(1, task.moments.get());
      assertEquals(List.of("s-1"), viewers.shown);

      viewers.wanted = false;
      pipeline.process(0, "s-1", panel).toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertEquals(2, task.moments.get(), "counted for the stream's rate");
      assertEquals(1, task.drawn.get(), "but not drawn between samples");
    }
  }

  @Test
  void aPictureThatCannotBeDrawnNeverFailsTheRecord() throws Exception {
    try (BatchedModel model = dgex()) {
      DrawnPanels task = new DrawnPanels(new GeneExpressionTask(model.session().metadata()), true);
      WatchingViewers viewers = new WatchingViewers();
      viewers.watched = true;
      ModelPipeline<GenePanel, GeneExpression> pipeline = pipeline(model, task, viewers);
      byte[] panel = panel("s-1", new float[model.session().metadata().inputs().get(0).rowSize()]);

      List<Output> outputs =
          pipeline.process(0, "s-1", panel).toCompletableFuture().get(30, TimeUnit.SECONDS);

      assertEquals(1, outputs.size());
      assertEquals(1, task.drawn.get());
      assertEquals(List.of(), viewers.shown);
    }
  }

  private static BatchedModel dgex() {
    return new BatchedModel(
        new ModelRepository(Path.of("models"))
            .open("dgex", OptionalInt.empty(), DevicePolicy.CPU, new SessionTuning(1, 0)),
        BatchConfig.defaults(),
        (size, nanos, failed) -> {});
  }

  private ModelPipeline<GenePanel, GeneExpression> pipeline(
      BatchedModel model, DrawnPanels task, Viewers viewers) {
    return new ModelPipeline<>(
        panels,
        AvroCodec.forType(GeneExpression.class, WriterSchemas.v1()),
        task,
        model,
        Runnable::run,
        "out",
        viewers);
  }

  /** A task that can be drawn: a panel's sample id stands for its stream. */
  private static final class DrawnPanels
      implements FamilyTask<GenePanel, GeneExpression>, Drawable<GenePanel, GeneExpression> {
    private final GeneExpressionTask task;
    private final boolean broken;
    final AtomicInteger moments = new AtomicInteger();
    final AtomicInteger drawn = new AtomicInteger();

    DrawnPanels(GeneExpressionTask task, boolean broken) {
      this.task = task;
      this.broken = broken;
    }

    @Override
    public Map<String, Tensor> toInputs(GenePanel input) {
      return task.toInputs(input);
    }

    @Override
    public GeneExpression toOutput(GenePanel input, Map<String, Tensor> outputs) {
      return task.toOutput(input, outputs);
    }

    @Override
    public Moment moment(GenePanel input) {
      moments.incrementAndGet();
      return new Moment(input.getSampleId(), 0, 0);
    }

    @Override
    public Picture draw(GenePanel input, GeneExpression output) {
      drawn.incrementAndGet();
      if (broken) {
        throw new IllegalStateException("no picture of a gene panel");
      }
      return new Picture(
          new Moment(input.getSampleId(), 0, 0), 1, 1, "image/png", new byte[1], List.of());
    }
  }

  /** Viewers the test turns on and off. */
  private static final class WatchingViewers implements Viewers {
    volatile boolean watched;
    volatile boolean wanted = true;
    final List<String> shown = new CopyOnWriteArrayList<>();

    @Override
    public boolean watched() {
      return watched;
    }

    @Override
    public boolean served(Drawable.Moment moment) {
      return wanted;
    }

    @Override
    public void show(Drawable.Picture picture) {
      shown.add(picture.moment().stream());
    }
  }
}
