package streaminfer.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import streaminfer.broker.KafkaBroker;
import streaminfer.codec.AvroCodec;
import streaminfer.codec.WriterSchemas;
import streaminfer.config.ConfigBuilder;
import streaminfer.family.began.GreyPng;
import streaminfer.v1.Frame;
import streaminfer.v1.FrameEncoding;
import streaminfer.v1.FrameScore;
import streaminfer.v1.GeneratedImage;
import streaminfer.v1.GenerationRequest;

/** BEGAN's two pipelines end to end on a real broker with the shipped models. */
class BeganPipelineIntegrationTest {
  private static final Duration DEADLINE = Duration.ofSeconds(120);
  private static final Path GOLDEN_PNGS = Path.of("models/began-generator/1/golden");
  private static final Path SAMPLE = Path.of("exporters/began/sample");
  private static final int SIDE = 28;

  @RegisterExtension final KafkaBroker broker = new KafkaBroker();
  private final WriterSchemas schemas = WriterSchemas.v1();
  private final AvroCodec<GenerationRequest> requests =
      AvroCodec.forType(GenerationRequest.class, schemas);
  private final AvroCodec<GeneratedImage> images = AvroCodec.forType(GeneratedImage.class, schemas);
  private final AvroCodec<Frame> frames = AvroCodec.forType(Frame.class, schemas);
  private final AvroCodec<FrameScore> scores = AvroCodec.forType(FrameScore.class, schemas);

  @Test
  void theSameSeedGivesTheTrainersPngBytesAndRequestsBeyondTheLimitsAreDeadLettered()
      throws Exception {
    GenerationRequest golden =
        GenerationRequest.newBuilder().setRequestId("golden").setCount(8).setSeed(0L).build();
    GenerationRequest tooMany =
        GenerationRequest.newBuilder().setRequestId("too-many").setCount(17).setSeed(1L).build();
    GenerationRequest shortLatent =
        GenerationRequest.newBuilder()
            .setRequestId("short-latent")
            .setCount(2)
            .setLatent(new ArrayList<>(Collections.nCopies(3, 0f)))
            .build();
    KafkaTestClients.produce(
        broker.bootstrapServers(),
        "generation-requests",
        List.of(
            Map.entry("golden", requests.encode(golden)),
            Map.entry("too-many", requests.encode(tooMany)),
            Map.entry("short-latent", requests.encode(shortLatent))));
    var config =
        ConfigBuilder.of(broker.bootstrapServers(), Path.of("models"))
            .pipeline("began", "began-images")
            .inPipeline("began", "settings.maxImagesPerRequest", 16);
    try (Engine engine = Engine.start(config.build())) {
      List<ConsumerRecord<String, byte[]>> outputs =
          KafkaTestClients.consumeUntil(
              broker.bootstrapServers(), "generated-images", DEADLINE, r -> r.size() >= 8);
      List<ConsumerRecord<String, byte[]>> letters =
          KafkaTestClients.consumeUntil(
              broker.bootstrapServers(), "generation-requests.dlq", DEADLINE, r -> r.size() >= 2);
      assertEquals(8, outputs.size());
      for (ConsumerRecord<String, byte[]> output : outputs) {
        GeneratedImage image = images.decode(output.value());
        assertEquals("golden", output.key());
        assertEquals((long) image.getIndex(), image.getSeed());
        byte[] png = new byte[image.getData().remaining()];
        image.getData().get(png);
        assertArrayEquals(
            Files.readAllBytes(GOLDEN_PNGS.resolve("seed-" + image.getIndex() + ".png")),
            png,
            "image " + image.getIndex());
      }
      for (ConsumerRecord<String, byte[]> letter : letters) {
        String reason =
            new String(
                letter.headers().lastHeader("error.message").value(), StandardCharsets.UTF_8);
        assertTrue(
            reason.contains("maxImagesPerRequest") || reason.contains("latent has 3 floats"),
            reason);
      }
    }
  }

  /**
   * Held-out MNIST digits (the training set's distribution) against Fashion-MNIST garments, as PNG
   * frames through the pipeline: the garments must score higher (ROC AUC >= 0.95).
   */
  @Test
  void frameScoresSeparateHeldOutDigitsFromGarments() throws Exception {
    List<Map.Entry<String, byte[]>> records = new ArrayList<>();
    records.addAll(sampleFrames("mnist"));
    records.addAll(sampleFrames("fashion-mnist"));
    KafkaTestClients.produce(broker.bootstrapServers(), "frames", records);
    var config =
        ConfigBuilder.of(broker.bootstrapServers(), Path.of("models"))
            .pipeline("began-frames", "began-frames");
    try (Engine engine = Engine.start(config.build())) {
      List<ConsumerRecord<String, byte[]>> outputs =
          KafkaTestClients.consumeUntil(
              broker.bootstrapServers(), "frame-scores", DEADLINE, r -> r.size() >= records.size());
      List<Float> digits = new ArrayList<>();
      List<Float> garments = new ArrayList<>();
      for (ConsumerRecord<String, byte[]> output : outputs) {
        FrameScore score = scores.decode(output.value());
        (score.getStreamId().equals("mnist") ? digits : garments).add(score.getScore());
        assertEquals(score.getScore() > score.getThreshold(), score.getAnomaly());
      }
      double auc = rocAuc(digits, garments);
      System.out.printf(
          "frame-score ROC AUC, %d MNIST held-out vs %d Fashion-MNIST through Kafka: %.4f%n",
          digits.size(), garments.size(), auc);
      assertTrue(auc >= 0.95, "ROC AUC " + auc);
    }
  }

  private List<Map.Entry<String, byte[]>> sampleFrames(String set) throws Exception {
    byte[] raw = Files.readAllBytes(SAMPLE.resolve(set + ".u8"));
    List<Map.Entry<String, byte[]>> records = new ArrayList<>();
    for (int i = 0; i < raw.length / (SIDE * SIDE); i++) {
      byte[] levels = new byte[SIDE * SIDE];
      System.arraycopy(raw, i * SIDE * SIDE, levels, 0, levels.length);
      Frame frame =
          new Frame(
              set,
              (long) i,
              System.currentTimeMillis() * 1000,
              SIDE,
              SIDE,
              FrameEncoding.PNG,
              ByteBuffer.wrap(GreyPng.encode(levels, SIDE, SIDE)));
      records.add(Map.entry(set, frames.encode(frame)));
    }
    return records;
  }

  /** P(a positive scores above a negative), ties counting one half. */
  static double rocAuc(List<Float> negatives, List<Float> positives) {
    double wins = 0;
    for (float positive : positives) {
      for (float negative : negatives) {
        wins += positive > negative ? 1 : positive == negative ? 0.5 : 0;
      }
    }
    return wins / ((double) positives.size() * negatives.size());
  }
}
