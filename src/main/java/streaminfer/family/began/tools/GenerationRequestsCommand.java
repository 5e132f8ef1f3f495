package streaminfer.family.began.tools;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import streaminfer.client.KafkaOptions;
import streaminfer.client.PacedProducer;
import streaminfer.codec.AvroCodec;
import streaminfer.codec.WriterSchemas;
import streaminfer.family.began.BeganModule;
import streaminfer.family.began.Latents;
import streaminfer.runtime.ModelMetadata;
import streaminfer.runtime.ModelRepository;
import streaminfer.v1.GenerationRequest;

/**
 * {@code produce generation-requests}: one request for {@code --count} images from a seed, or an
 * interpolation (explicit latents from the latent of one seed to another's); with {@code --out},
 * waits for the request's images and writes them there as PNG files.
 */
@Command(
    name = "generation-requests",
    mixinStandardHelpOptions = true,
    description = "A GenerationRequest (BEGAN), keyed by request id; --out writes its images.")
public final class GenerationRequestsCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;

  @Option(names = "--request-id", description = "Default: request-<current millis>.")
  String requestId;

  @Option(
      names = "--count",
      defaultValue = "8",
      description = "Images (default: ${DEFAULT-VALUE}).")
  int count;

  @ArgGroup(exclusive = true)
  Latent latent = new Latent();

  static final class Latent {
    @Option(names = "--seed", description = "Image i uses seed + i; default: the engine picks.")
    Long seed;

    @Option(
        names = "--interpolate",
        arity = "2",
        paramLabel = "SEED",
        description = "From the latent of the first seed to the second's, --count steps.")
    long[] interpolate;
  }

  @Option(names = "--topic", defaultValue = "generation-requests")
  String topic;

  @Option(names = "--images-topic", defaultValue = "generated-images")
  String imagesTopic;

  @Option(names = "--out", description = "Wait for the images and write them to this folder.")
  Path out;

  @Option(names = "--timeout-seconds", defaultValue = "60", description = "For --out.")
  long timeoutSeconds;

  @Option(names = "--models-dir", defaultValue = "models", description = "For --interpolate.")
  Path modelsDir;

  @Override
  public Integer call() throws Exception {
    String id = requestId != null ? requestId : "request-" + System.currentTimeMillis();
    GenerationRequest.Builder request =
        GenerationRequest.newBuilder().setRequestId(id).setCount(count).setSeed(latent.seed);
    if (latent.interpolate != null) {
      request.setSeed(null).setLatent(interpolation(latent.interpolate[0], latent.interpolate[1]));
    }
    byte[] value =
        AvroCodec.forType(GenerationRequest.class, WriterSchemas.v1()).encode(request.build());
    try (PacedProducer producer =
        new PacedProducer(
            kafka.clientProperties(), topic, 0, 1, n -> new PacedProducer.Keyed(id, value))) {
      producer.run();
    }
    System.out.printf("asked for %d images as request %s on %s%n", count, id, topic);
    if (out != null) {
      List<Path> files =
          ImageFolder.collect(
              kafka.clientProperties(),
              imagesTopic,
              id,
              count,
              out,
              Duration.ofSeconds(timeoutSeconds));
      files.forEach(file -> System.out.println("wrote " + file));
    }
    return 0;
  }

  private List<Float> interpolation(long from, long to) {
    ModelMetadata metadata =
        ModelMetadata.read(
            new ModelRepository(modelsDir)
                .versionDirectory(BeganModule.GENERATOR, OptionalInt.empty())
                .resolve("model.json"));
    int dim = (int) metadata.inputs().get(0).shape()[1];
    float[] start = Latents.forSeed(from, dim);
    float[] end = Latents.forSeed(to, dim);
    List<Float> floats = new ArrayList<>(count * dim);
    for (int i = 0; i < count; i++) {
      float t = count == 1 ? 0f : i / (float) (count - 1);
      for (int j = 0; j < dim; j++) {
        floats.add((1 - t) * start[j] + t * end[j]);
      }
    }
    return floats;
  }
}
