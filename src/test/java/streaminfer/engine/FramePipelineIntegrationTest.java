package streaminfer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import streaminfer.broker.KafkaBroker;
import streaminfer.codec.AvroCodec;
import streaminfer.codec.WriterSchemas;
import streaminfer.config.ConfigBuilder;
import streaminfer.family.ssd.tools.DetectionRecall;
import streaminfer.source.SceneObject;
import streaminfer.source.SyntheticCameras;
import streaminfer.v1.Detections;
import streaminfer.v1.Frame;
import streaminfer.v1.FrameEncoding;

/** The SSD frame pipeline end to end on a real broker with the shipped detector. */
class FramePipelineIntegrationTest {
  private static final Duration DEADLINE = Duration.ofSeconds(120);

  @RegisterExtension final KafkaBroker broker = new KafkaBroker();
  private final WriterSchemas schemas = WriterSchemas.v1();
  private final AvroCodec<Frame> frames = AvroCodec.forType(Frame.class, schemas);
  private final AvroCodec<Detections> detections = AvroCodec.forType(Detections.class, schemas);

  private ConfigBuilder config() {
    return ConfigBuilder.of(broker.bootstrapServers(), Path.of("models")).pipeline("ssd");
  }

  @Test
  void detectsObjectsInEveryFrameInStreamOrderAndDeadLettersCorruptFrames() throws Exception {
    Map<String, List<SceneObject>> truth = new HashMap<>();
    List<Map.Entry<String, byte[]>> records = new ArrayList<>();
    try (SyntheticCameras cameras = new SyntheticCameras("cam", 3, 320, 320, 0.85f, 11)) {
      for (int tick = 0; tick < 40; tick++) {
        for (int stream = 0; stream < cameras.streams(); stream++) {
          SyntheticCameras.Shot shot = cameras.next(stream);
          truth.put(shot.frame().getStreamId() + "#" + shot.frame().getSeq(), shot.truth());
          records.add(Map.entry(shot.frame().getStreamId(), frames.encode(shot.frame())));
        }
      }
      Frame sample = cameras.next(0).frame();
      records.addAll(corrupt(sample));
    }
    KafkaTestClients.produce(broker.bootstrapServers(), "frames", records);

    try (Engine engine = Engine.start(config().build())) {
      List<ConsumerRecord<String, byte[]>> outputs =
          KafkaTestClients.consumeUntil(
              broker.bootstrapServers(), "detections", DEADLINE, r -> r.size() >= truth.size());
      List<ConsumerRecord<String, byte[]>> letters =
          KafkaTestClients.consumeUntil(
              broker.bootstrapServers(), "frames.dlq", DEADLINE, r -> r.size() >= 5);
      assertEquals(truth.size(), outputs.size());
      assertEquals(5, letters.size());

      Map<String, Long> lastSeq = new HashMap<>();
      DetectionRecall recall = new DetectionRecall(0.5);
      for (ConsumerRecord<String, byte[]> output : outputs) {
        Detections frame = detections.decode(output.value());
        assertEquals(output.key(), frame.getStreamId());
        long previous = lastSeq.getOrDefault(frame.getStreamId(), -1L);
        assertTrue(frame.getSeq() > previous, frame.getStreamId() + " out of order");
        lastSeq.put(frame.getStreamId(), frame.getSeq());
        recall.add(truth.get(frame.getStreamId() + "#" + frame.getSeq()), frame.getDetections());
      }
      assertTrue(
          recall.recall() >= 0.8,
          "recall at IoU 0.5 on " + recall.objects() + " objects: " + recall.recall());
    }
  }

  @Test
  void skipsFramesOlderThanTheLiveAgeAndServesFreshOnes() throws Exception {
    List<Map.Entry<String, byte[]>> stale = new ArrayList<>();
    try (SyntheticCameras cameras = new SyntheticCameras("old", 1, 320, 320, 0.85f, 3)) {
      for (int i = 0; i < 20; i++) {
        Frame frame = cameras.next(0).frame();
        frame.setCaptureTimeMicros(frame.getCaptureTimeMicros() - 60_000_000L);
        stale.add(Map.entry(frame.getStreamId(), frames.encode(frame)));
      }
    }
    KafkaTestClients.produce(broker.bootstrapServers(), "frames", stale);
    try (Engine engine = Engine.start(config().defaults("maxInputAgeMillis", 5_000).build())) {
      long end = System.nanoTime() + DEADLINE.toNanos();
      while (engine.metrics().get(0).recordsSkipped() < 20 && System.nanoTime() < end) {
        Thread.sleep(50);
      }
      assertEquals(20.0, engine.metrics().get(0).recordsSkipped());
      List<Map.Entry<String, byte[]>> fresh = new ArrayList<>();
      try (SyntheticCameras cameras = new SyntheticCameras("new", 1, 320, 320, 0.85f, 4)) {
        for (int i = 0; i < 10; i++) {
          Frame frame = cameras.next(0).frame();
          fresh.add(Map.entry(frame.getStreamId(), frames.encode(frame)));
        }
      }
      KafkaTestClients.produce(broker.bootstrapServers(), "frames", fresh);
      List<ConsumerRecord<String, byte[]>> outputs =
          KafkaTestClients.consumeUntil(
              broker.bootstrapServers(), "detections", DEADLINE, r -> r.size() >= 10);
      assertTrue(
          outputs.stream().allMatch(r -> r.key().equals("new-0")), "a stale frame was served");
    }
  }

  /** Five ways a frame can be broken. */
  private List<Map.Entry<String, byte[]>> corrupt(Frame sample) {
    byte[] jpeg = new byte[sample.getData().remaining()];
    sample.getData().duplicate().get(jpeg);
    return List.of(
        Map.entry(
            "bad",
            frames.encode(
                copy(sample, 320, 320, FrameEncoding.JPEG, Arrays.copyOf(jpeg, jpeg.length / 3)))),
        Map.entry("bad", frames.encode(copy(sample, 321, 320, FrameEncoding.JPEG, jpeg))),
        Map.entry("bad", frames.encode(copy(sample, 320, 320, FrameEncoding.RGB24, new byte[100]))),
        Map.entry("bad", frames.encode(copy(sample, 100_000, 100_000, FrameEncoding.PNG, jpeg))),
        Map.entry("bad", new byte[] {1, 2, 3}));
  }

  private static Frame copy(
      Frame sample, int width, int height, FrameEncoding encoding, byte[] data) {
    return Frame.newBuilder(sample)
        .setStreamId("bad")
        .setWidth(width)
        .setHeight(height)
        .setEncoding(encoding)
        .setData(ByteBuffer.wrap(data))
        .build();
  }
}
