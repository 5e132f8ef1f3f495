package streaminfer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import streaminfer.broker.KafkaBroker;
import streaminfer.codec.AvroCodec;
import streaminfer.codec.WriterSchemas;
import streaminfer.config.ConfigBuilder;
import streaminfer.family.maskrcnn.RleMasks;
import streaminfer.source.LiveCameras;
import streaminfer.source.SyntheticCameras;
import streaminfer.v1.Detections;
import streaminfer.v1.Frame;
import streaminfer.v1.FrameEncoding;
import streaminfer.v1.Segmentations;
import streaminfer.v1.SegmentedInstance;

/** The Mask R-CNN frame pipeline end to end on a real broker with the shipped model. */
class MaskrcnnPipelineIntegrationTest {
  private static final Duration DEADLINE = Duration.ofSeconds(180);
  private static final Path MODEL = Path.of("models/maskrcnn/1");
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension final KafkaBroker broker = new KafkaBroker();
  private final WriterSchemas schemas = WriterSchemas.v1();
  private final AvroCodec<Frame> frames = AvroCodec.forType(Frame.class, schemas);
  private final AvroCodec<Segmentations> segmentations =
      AvroCodec.forType(Segmentations.class, schemas);
  private final AvroCodec<Detections> detections = AvroCodec.forType(Detections.class, schemas);

  @Test
  void servedMasksDecodedByTheCocoRulesMatchTheTrainersMasks() throws Exception {
    JsonNode golden = JSON.readTree(MODEL.resolve("golden.json").toFile());
    List<Map.Entry<String, byte[]>> records = new ArrayList<>();
    int seq = 0;
    for (JsonNode sample : golden.get("samples")) {
      byte[] png = Files.readAllBytes(MODEL.resolve(sample.get("image").asText()));
      var image = ImageIO.read(new ByteArrayInputStream(png));
      Frame frame =
          Frame.newBuilder()
              .setStreamId("golden")
              .setSeq(seq++)
              .setCaptureTimeMicros(System.currentTimeMillis() * 1000)
              .setWidth(image.getWidth())
              .setHeight(image.getHeight())
              .setEncoding(FrameEncoding.PNG)
              .setData(ByteBuffer.wrap(png))
              .build();
      records.add(Map.entry("golden", frames.encode(frame)));
    }
    KafkaTestClients.produce(broker.bootstrapServers(), "frames", records);

    try (Engine engine =
        Engine.start(
            ConfigBuilder.of(broker.bootstrapServers(), Path.of("models"))
                .pipeline("maskrcnn")
                .build())) {
      List<ConsumerRecord<String, byte[]>> outputs =
          KafkaTestClients.consumeUntil(
              broker.bootstrapServers(),
              "segmentations",
              DEADLINE,
              r -> r.size() >= records.size());
      assertEquals(records.size(), outputs.size());
      int instances = 0;
      double worst = 1.0;
      for (ConsumerRecord<String, byte[]> output : outputs) {
        Segmentations served = segmentations.decode(output.value());
        JsonNode expected = golden.get("samples").get((int) served.getSeq()).get("instances");
        assertEquals(
            expected.size(), served.getInstances().size(), "instances of frame " + served.getSeq());
        for (JsonNode reference : expected) {
          int height = reference.at("/mask/height").asInt();
          int width = reference.at("/mask/width").asInt();
          List<Integer> counts = new ArrayList<>();
          reference.at("/mask/counts").forEach(c -> counts.add(c.asInt()));
          boolean[] trainer = RleMasks.decode(counts, height, width);
          double best = 0;
          for (SegmentedInstance instance : served.getInstances()) {
            if (instance.getDetection().getClassId() == reference.get("classId").asInt()) {
              assertEquals(height, instance.getMask().getHeight());
              assertEquals(width, instance.getMask().getWidth());
              boolean[] servedMask = RleMasks.decode(instance.getMask().getCounts(), height, width);
              best = Math.max(best, RleMasks.iou(trainer, servedMask));
            }
          }
          assertTrue(
              best >= 0.99, "frame " + served.getSeq() + ": best mask IoU " + best + " < 0.99");
          worst = Math.min(worst, best);
          instances++;
        }
      }
      System.out.printf(
          "maskrcnn through Kafka: %d golden instances, worst mask IoU %.5f%n", instances, worst);
      assertTrue(instances > 0, "the golden frames hold no instance");
    }
  }

  @Test
  void ssdAndMaskrcnnBothServeEveryFrameOfOneThirtyFpsStreamInOrder() throws Exception {
    int seconds = 8;
    try (Engine engine =
        Engine.start(
            ConfigBuilder.of(broker.bootstrapServers(), Path.of("models"))
                .pipeline("ssd")
                .pipeline("maskrcnn")
                .build())) {
      long sent;
      long started = System.nanoTime();
      try (KafkaProducer<String, byte[]> producer =
              LiveCameras.producer(broker.bootstrapServers());
          SyntheticCameras camera = new SyntheticCameras("cam", 1, 320, 320, 0.85f, 21)) {
        sent = LiveCameras.play(producer, "frames", camera, 30, seconds, shot -> {});
      }
      List<ConsumerRecord<String, byte[]>> found =
          KafkaTestClients.consumeUntil(
              broker.bootstrapServers(), "detections", DEADLINE, r -> r.size() >= sent);
      List<ConsumerRecord<String, byte[]>> segmented =
          KafkaTestClients.consumeUntil(
              broker.bootstrapServers(), "segmentations", DEADLINE, r -> r.size() >= sent);
      double elapsed = (System.nanoTime() - started) / 1e9;
      check(
          "ssd",
          found,
          sent,
          detections::decode,
          Detections::getSeq,
          Detections::getCaptureTimeMicros,
          seconds,
          elapsed);
      check(
          "maskrcnn",
          segmented,
          sent,
          segmentations::decode,
          Segmentations::getSeq,
          Segmentations::getCaptureTimeMicros,
          seconds,
          elapsed);
    }
  }

  /** Every frame answered once, in capture order; prints the rate and latency percentiles. */
  private static <T> void check(
      String pipeline,
      List<ConsumerRecord<String, byte[]>> outputs,
      long sent,
      Function<byte[], T> decode,
      ToLongFunction<T> seqOf,
      ToLongFunction<T> captureMicrosOf,
      int seconds,
      double elapsed) {
    assertEquals(sent, outputs.size(), pipeline + " outputs");
    Map<String, Long> next = new HashMap<>();
    List<Double> latencies = new ArrayList<>();
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (ConsumerRecord<String, byte[]> output : outputs) {
      T value = decode.apply(output.value());
      long seq = seqOf.applyAsLong(value);
      long expected = next.getOrDefault(output.key(), 0L);
      assertEquals(expected, seq, pipeline + ": " + output.key() + " lost or reordered a frame");
      next.put(output.key(), seq + 1);
      latencies.add(output.timestamp() - captureMicrosOf.applyAsLong(value) / 1000.0);
      first = Math.min(first, output.timestamp());
      last = Math.max(last, output.timestamp());
    }
    Collections.sort(latencies);
    System.out.printf(
        "%s: %d frames of a 30 fps stream (%d s), answered at %.1f fps (first to last output),"
            + " latency capture->output p50 %.1f ms, p99 %.1f ms, all done %.1f s after the"
            + " first frame%n",
        pipeline,
        sent,
        seconds,
        (outputs.size() - 1) * 1000.0 / Math.max(1, last - first),
        LiveCameras.percentile(latencies, 0.5),
        LiveCameras.percentile(latencies, 0.99),
        elapsed);
  }
}
