package streaminfer.pipeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import streaminfer.batch.ExpiredRequestException;
import streaminfer.codec.AvroCodec;
import streaminfer.family.Drawable;
import streaminfer.family.FamilyTask;
import streaminfer.family.InvalidInputException;
import streaminfer.family.StaleInputException;
import streaminfer.runtime.Tensor;
import streaminfer.runtime.Warmup;
import streaminfer.stream.ModelFailure;
import streaminfer.stream.Output;
import streaminfer.stream.RecordProcessor;

/**
 * Binds a model family to the stream: decode, preprocess, batched inference, postprocess, encode.
 * Decoding and preprocessing run on {@code preprocessing} (the event loop itself for cheap
 * families, a worker pool for image decoding); postprocessing and encoding run on the inference
 * worker. A stale input (too old when decoded, or by the time its batch forms) completes with no
 * output (skipped), not with a failure. A failure once the model took the record names the model
 * version ({@link ModelFailure}).
 */
public final class ModelPipeline<I extends SpecificRecord, O extends SpecificRecord>
    implements RecordProcessor, Warmable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelPipeline.class);
  private static final CompletableFuture<List<Output>> SKIPPED =
      CompletableFuture.completedFuture(List.of());
  private final AvroCodec<I> inputCodec;
  private final AvroCodec<O> outputCodec;
  private final FamilyTask<I, O> task;
  private final BatchedModel model;
  private final Executor preprocessing;
  private final String outputTopic;
  private final String modelVersion;
  private final Viewers viewers;
  private final Drawable<I, O> drawable;

  /**
   * @param outputTopic where every answer goes, keyed like its input
   */
  public ModelPipeline(
      AvroCodec<I> inputCodec,
      AvroCodec<O> outputCodec,
      FamilyTask<I, O> task,
      BatchedModel model,
      Executor preprocessing,
      String outputTopic) {
    this(inputCodec, outputCodec, task, model, preprocessing, outputTopic, Viewers.NONE);
  }

  /**
   * @param viewers who watches the answers live: a {@link Drawable} task's pictures go there
   */
  @SuppressWarnings("unchecked")
  public ModelPipeline(
      AvroCodec<I> inputCodec,
      AvroCodec<O> outputCodec,
      FamilyTask<I, O> task,
      BatchedModel model,
      Executor preprocessing,
      String outputTopic,
      Viewers viewers) {
    this.viewers = viewers;
    // A task drawable at all is drawable for its own input and output types.
    this.drawable = task instanceof Drawable<?, ?> drawing ? (Drawable<I, O>) drawing : null;
    this.inputCodec = inputCodec;
    this.outputCodec = outputCodec;
    this.task = task;
    this.model = model;
    this.preprocessing = preprocessing;
    this.outputTopic = outputTopic;
    this.modelVersion =
        model.session().metadata().name() + "/" + model.session().metadata().version();
  }

  @Override
  public CompletionStage<List<Output>> process(int partition, String key, byte[] value) {
    return CompletableFuture.supplyAsync(() -> prepare(value), preprocessing)
        .thenCompose(prepared -> prepared == null ? SKIPPED : answer(prepared));
  }

  private CompletableFuture<List<Output>> answer(Prepared<I> prepared) {
    return model
        .infer(prepared.row(), task.staleAt(prepared.input()).orElse(Instant.MAX))
        .thenApply(
            outputs -> {
              O output = task.toOutput(prepared.input(), outputs);
              show(prepared.input(), output);
              return Output.one(outputTopic, outputCodec.encode(output));
            })
        .exceptionallyCompose(
            failure ->
                unwrap(failure) instanceof ExpiredRequestException
                    ? SKIPPED
                    : CompletableFuture.failedFuture(new ModelFailure(modelVersion, failure)));
  }

  /** Hands the answer's picture to whoever watches, when they want one now. */
  private void show(I input, O output) {
    if (drawable == null || !viewers.watched()) {
      return;
    }
    try {
      if (viewers.served(drawable.moment(input))) {
        viewers.show(drawable.draw(input, output));
      }
    } catch (RuntimeException e) {
      // The dashboard only looks: a picture that cannot be drawn must not fail the record.
      LOG.debug("no picture of an answer", e);
    }
  }

  /**
   * Runs on the calling thread and straight through the session (not the batcher, whose metrics
   * would count it); a sample the task refuses or skips is left out.
   */
  @Override
  public int warmUp(List<byte[]> samples, Warmup warmup) {
    if (samples.isEmpty()) {
      return 0;
    }
    int ran = 0;
    for (int run = 0; run < warmup.runs(); run++) {
      for (int size : warmup.batchSizes()) {
        List<Prepared<I>> batch = new ArrayList<>();
        for (int i = 0; i < size; i++) {
          try {
            Prepared<I> prepared = prepare(samples.get((ran + i) % samples.size()));
            if (prepared != null) {
              batch.add(prepared);
            }
          } catch (InvalidInputException refused) {
            // Warm-up samples are the family's own; one the model refuses only warms less.
          }
        }
        List<Map<String, Tensor>> outputs =
            model.runNow(batch.stream().map(Prepared::row).toList());
        for (int i = 0; i < batch.size(); i++) {
          outputCodec.encode(task.toOutput(batch.get(i).input(), outputs.get(i)));
        }
        ran += size;
      }
    }
    return ran;
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
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
