package streaminfer.pipeline;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.avro.specific.SpecificRecord;
import streaminfer.codec.AvroCodec;
import streaminfer.family.FamilyTask;
import streaminfer.stream.RecordProcessor;

/**
 * Binds a model family to the stream: decode, preprocess, batched inference, postprocess, encode.
 * Decoding and validation run on the event loop (cheap, and a bad record fails before it takes a
 * batch slot); postprocessing and encoding run on the inference worker.
 */
public final class ModelPipeline<I extends SpecificRecord, O extends SpecificRecord>
    implements RecordProcessor {
  private final AvroCodec<I> inputCodec;
  private final AvroCodec<O> outputCodec;
  private final FamilyTask<I, O> task;
  private final BatchedModel model;

  public ModelPipeline(
      AvroCodec<I> inputCodec,
      AvroCodec<O> outputCodec,
      FamilyTask<I, O> task,
      BatchedModel model) {
    this.inputCodec = inputCodec;
    this.outputCodec = outputCodec;
    this.task = task;
    this.model = model;
  }

  @Override
  public CompletionStage<byte[]> process(String key, byte[] value) {
    I input;
    Map<String, float[]> row;
    try {
      input = inputCodec.decode(value);
      row = task.toInputs(input);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return model.infer(row).thenApply(outputs -> outputCodec.encode(task.toOutput(input, outputs)));
  }
}
