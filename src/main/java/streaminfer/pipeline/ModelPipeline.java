package streaminfer.pipeline;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.avro.specific.SpecificRecord;
import streaminfer.codec.AvroCodec;
import streaminfer.family.FamilyTask;
import streaminfer.family.StaleInputException;
import streaminfer.runtime.Tensor;
import streaminfer.stream.RecordProcessor;

/**
 * Binds a model family to the stream: decode, preprocess, batched inference, postprocess, encode.
 * Decoding and preprocessing run on {@code preprocessing} (the event loop itself for cheap
 * families, a worker pool for image decoding); postprocessing and encoding run on the inference
 * worker. A stale input completes with no output (skipped), not with a failure.
 */
public final class ModelPipeline<I extends SpecificRecord, O extends SpecificRecord>
    implements RecordProcessor {
  private final AvroCodec<I> inputCodec;
  private final AvroCodec<O> outputCodec;
  private final FamilyTask<I, O> task;
  private final BatchedModel model;
  private final Executor preprocessing;

  public ModelPipeline(
      AvroCodec<I> inputCodec,
      AvroCodec<O> outputCodec,
      FamilyTask<I, O> task,
      BatchedModel model,
      Executor preprocessing) {
    this.inputCodec = inputCodec;
    this.outputCodec = outputCodec;
    this.task = task;
    this.model = model;
    this.preprocessing = preprocessing;
  }

  @Override
  public CompletionStage<byte[]> process(int partition, String key, byte[] value) {
    return CompletableFuture.supplyAsync(() -> prepare(value), preprocessing)
        .thenCompose(
            prepared ->
                prepared == null
                    ? CompletableFuture.<byte[]>completedFuture(null)
                    : model
                        .infer(prepared.row())
                        .thenApply(
                            outputs ->
                                outputCodec.encode(task.toOutput(prepared.input(), outputs))));
  }

  private record Prepared<I>(I input, Map<String, Tensor> row) {}

  private Prepared<I> prepare(byte[] value) {
    I input = inputCodec.decode(value);
    try {
      return new Prepared<>(input, task.toInputs(input));
    } catch (StaleInputException stale) {
      return null;
    }
  }
}
