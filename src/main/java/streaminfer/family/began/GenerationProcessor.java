package streaminfer.family.began;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import streaminfer.codec.AvroCodec;
import streaminfer.family.InvalidInputException;
import streaminfer.pipeline.BatchedModel;
import streaminfer.pipeline.Warmable;
import streaminfer.runtime.ModelMetadata;
import streaminfer.runtime.Tensor;
import streaminfer.runtime.TensorSpec;
import streaminfer.runtime.Warmup;
import streaminfer.stream.ModelFailure;
import streaminfer.stream.Output;
import streaminfer.stream.RecordProcessor;
import streaminfer.v1.FrameEncoding;
import streaminfer.v1.GeneratedImage;
import streaminfer.v1.GenerationRequest;

/**
 * One {@link GenerationRequest} to {@code count} {@link GeneratedImage} records: each latent goes
 * through the micro-batcher as its own row, so one request's images share batches with other
 * requests', once {@link RowPermits} has room for all of them. The request counts as done once
 * every image is acknowledged (the stream layer's multi-output rule); a refused request is
 * dead-lettered whole, before any image is made.
 */
final class GenerationProcessor implements RecordProcessor, Warmable {
  private final AvroCodec<GenerationRequest> requests;
  private final AvroCodec<GeneratedImage> images;
  private final BatchedModel model;
  private final GenerationSettings settings;
  private final String outputTopic;
  private final String latentName;
  private final String imageName;
  private final int latentDim;
  private final int width;
  private final int height;
  private final String modelName;
  private final String modelVersion;
  private final RowPermits permits;

  GenerationProcessor(
      AvroCodec<GenerationRequest> requests,
      AvroCodec<GeneratedImage> images,
      BatchedModel model,
      GenerationSettings settings,
      String outputTopic) {
    this.requests = requests;
    this.images = images;
    this.model = model;
    this.settings = settings;
    this.outputTopic = outputTopic;
    ModelMetadata metadata = model.session().metadata();
    TensorSpec latent = metadata.inputs().get(0);
    TensorSpec image = metadata.outputs().get(0);
    long[] shape = image.shape(); // [batch, 1, height, width]
    if (latent.shape().length != 2 || shape.length != 4 || shape[1] != 1) {
      throw new IllegalArgumentException(
          metadata.name() + ": expected latent [-1, d] -> image [-1, 1, h, w]");
    }
    this.latentName = latent.name();
    this.imageName = image.name();
    this.latentDim = (int) latent.shape()[1];
    this.height = (int) shape[2];
    this.width = (int) shape[3];
    this.modelName = metadata.name();
    this.modelVersion = Integer.toString(metadata.version());
    this.permits = new RowPermits(model.queueCapacity());
    if (settings.maxImagesPerRequest() > permits.capacity()) {
      throw new IllegalArgumentException(
          "settings.maxImagesPerRequest "
              + settings.maxImagesPerRequest()
              + " exceeds the rows the model queues at once (batch.maxInFlight "
              + permits.capacity()
              + "): such a request could never run");
    }
  }

  @Override
  public CompletionStage<List<Output>> process(int partition, String key, byte[] value) {
    GenerationRequest request;
    ImagePlan plan;
    try {
      request = requests.decode(value);
      plan = plan(request);
    } catch (RuntimeException refused) {
      return CompletableFuture.failedFuture(refused);
    }
    int count = plan.latents().size();
    return permits
        .acquire(count)
        .thenCompose(held -> infer(plan))
        .whenComplete((rows, failure) -> permits.release(count))
        .thenApply(rows -> outputs(request, plan, rows))
        .exceptionallyCompose(
            failure ->
                CompletableFuture.failedFuture(
                    new ModelFailure(modelName + "/" + modelVersion, failure)));
  }

  private CompletableFuture<List<Map<String, Tensor>>> infer(ImagePlan plan) {
    List<CompletableFuture<Map<String, Tensor>>> rows = new ArrayList<>();
    for (float[] z : plan.latents()) {
      rows.add(model.infer(Map.of(latentName, Tensor.of(z))));
    }
    return CompletableFuture.allOf(rows.toArray(CompletableFuture[]::new))
        .thenApply(done -> rows.stream().map(CompletableFuture::join).toList());
  }

  /** Runs each sample's images in one direct batch; outputs are encoded and dropped. */
  @Override
  public int warmUp(List<byte[]> samples, Warmup warmup) {
    for (int run = 0; run < warmup.runs(); run++) {
      for (byte[] sample : samples) {
        GenerationRequest request = requests.decode(sample);
        ImagePlan plan = plan(request);
        List<Map<String, Tensor>> rows =
            plan.latents().stream().map(z -> Map.of(latentName, (Tensor) Tensor.of(z))).toList();
        outputs(request, plan, model.runNow(rows));
      }
    }
    return samples.size() * warmup.runs();
  }

  private ImagePlan plan(GenerationRequest request) {
    if (request.getModel() != null && !request.getModel().equals(modelName)) {
      throw new InvalidInputException(
          "model '" + request.getModel() + "' asked for; this pipeline serves " + modelName);
    }
    return ImagePlan.of(request, latentDim, settings.maxImagesPerRequest());
  }

  private List<Output> outputs(
      GenerationRequest request, ImagePlan plan, List<Map<String, Tensor>> results) {
    List<Output> outputs = new ArrayList<>(results.size());
    for (int i = 0; i < results.size(); i++) {
      byte[] png =
          GreyPng.encode(GreyPng.pixels(results.get(i).get(imageName).floats()), width, height);
      GeneratedImage image =
          GeneratedImage.newBuilder()
              .setRequestId(request.getRequestId())
              .setIndex(i)
              .setModel(modelName)
              .setModelVersion(modelVersion)
              .setWidth(width)
              .setHeight(height)
              .setEncoding(FrameEncoding.PNG)
              .setData(ByteBuffer.wrap(png))
              .setSeed(plan.seeds().get(i))
              .build();
      outputs.add(new Output(outputTopic, null, images.encode(image)));
    }
    return outputs;
  }
}
