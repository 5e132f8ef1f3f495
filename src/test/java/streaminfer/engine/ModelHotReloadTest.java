package streaminfer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import streaminfer.broker.KafkaBroker;
import streaminfer.client.PacedProducer;
import streaminfer.codec.AvroCodec;
import streaminfer.codec.WriterSchemas;
import streaminfer.config.ConfigLoader;
import streaminfer.config.EngineSettings;
import streaminfer.family.FamilyModules;
import streaminfer.source.SyntheticCameras;
import streaminfer.v1.Detections;
import streaminfer.v1.Frame;

/**
 * Model hot reload during a live stream: a new version directory is picked up, warmed up and
 * switched to; a broken one is refused and the serving version stays.
 */
class ModelHotReloadTest {
  @RegisterExtension final KafkaBroker kafka = new KafkaBroker();
  @TempDir Path dir;

  private static final int STREAMS = 2;
  private static final int FPS = 60;
  private static final Duration RUN = Duration.ofSeconds(12);

  private final WriterSchemas schemas = WriterSchemas.v1();

  @Test
  void aNewVersionSwappedDuringA60FpsStreamLosesNoFrameAndSwitchesOncePerStream() throws Exception {
    Path models = dir.resolve("models");
    copyVersion(Path.of("models/ssd/1"), models.resolve("ssd/1"), 1);
    long frames = (long) FPS * STREAMS * RUN.toSeconds();
    AvroCodec<Frame> codec = AvroCodec.forType(Frame.class, schemas);
    try (Engine engine = Engine.start(settings(models));
        SyntheticCameras cameras = new SyntheticCameras("cam", STREAMS, 320, 320, 0.85f, 5);
        PacedProducer camera =
            new PacedProducer(
                Map.of("bootstrap.servers", kafka.bootstrapServers()),
                "frames",
                FPS * STREAMS,
                frames,
                n -> {
                  Frame frame = cameras.next((int) (n % STREAMS)).frame();
                  return new PacedProducer.Keyed(frame.getStreamId(), codec.encode(frame));
                })) {
      camera.startInBackground("camera");
      Thread.sleep(RUN.toMillis() / 3);
      // Written beside, then renamed: the repository never shows a half-copied version.
      copyVersion(Path.of("models/ssd/1"), dir.resolve("staging/2"), 2);
      Files.move(dir.resolve("staging/2"), models.resolve("ssd/2"), StandardCopyOption.ATOMIC_MOVE);
      Thread.sleep(RUN.toMillis() / 3);
      // A broken version 3: refused, version 2 keeps serving.
      copyVersion(Path.of("models/ssd/1"), dir.resolve("staging/3"), 3);
      Files.write(dir.resolve("staging/3/model.onnx"), new byte[] {1, 2, 3});
      Files.move(dir.resolve("staging/3"), models.resolve("ssd/3"), StandardCopyOption.ATOMIC_MOVE);

      List<ConsumerRecord<String, byte[]>> outputs =
          KafkaTestClients.consumeUntil(
              kafka.bootstrapServers(),
              "detections",
              Duration.ofMinutes(2),
              read -> read.size() >= frames);
      assertEquals(frames, outputs.size(), "one output per frame, none lost");
      AvroCodec<Detections> detections = AvroCodec.forType(Detections.class, schemas);
      Map<String, List<String>> versionsPerStream = new HashMap<>();
      Map<String, Long> lastSeq = new HashMap<>();
      for (ConsumerRecord<String, byte[]> output : outputs) {
        Detections answer = detections.decode(output.value());
        long previous = lastSeq.getOrDefault(answer.getStreamId(), -1L);
        assertTrue(answer.getSeq() > previous, answer.getStreamId() + " out of order");
        lastSeq.put(answer.getStreamId(), answer.getSeq());
        versionsPerStream
            .computeIfAbsent(answer.getStreamId(), s -> new ArrayList<>())
            .add(answer.getModelVersion());
      }
      assertEquals(STREAMS, versionsPerStream.size());
      versionsPerStream.forEach(
          (stream, versions) -> {
            int switchAt = versions.indexOf("2");
            assertTrue(switchAt > 0, stream + " switched to version 2 after serving version 1");
            assertTrue(
                versions.subList(0, switchAt).stream().allMatch("1"::equals)
                    && versions.subList(switchAt, versions.size()).stream().allMatch("2"::equals),
                stream + " switched at one point: " + versions);
          });
      String metrics = engine.registry().scrape();
      assertTrue(
          metrics.contains(
              "streaminfer_model_reloads_total{outcome=\"loaded\",pipeline=\"ssd\"} 1.0"),
          metrics);
      assertTrue(
          metrics.contains(
              "streaminfer_model_reloads_total{outcome=\"failed\",pipeline=\"ssd\"} 1.0"),
          metrics);
      assertTrue(
          metrics.contains("streaminfer_model_info{device=\"cpu\",model=\"ssd\",version=\"2\"}"),
          metrics);
      assertTrue(
          !metrics.contains("streaminfer_model_info{device=\"cpu\",model=\"ssd\",version=\"1\"}"),
          metrics);
      for (String version : List.of("1", "2")) {
        assertTrue(
            metrics.contains(
                "streaminfer_inference_latency_seconds_count{model=\"ssd\",version=\""
                    + version
                    + "\"}"),
            "inference latency of version " + version + ": " + metrics);
      }
      assertTrue(
          !metrics.contains("streaminfer_records_deadlettered_total{pipeline=\"ssd\""),
          "no frame dead-lettered: " + metrics);
    }
  }

  private EngineSettings settings(Path models) throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("streaminfer.yaml"),
            """
            kafka:
              bootstrap.servers: %s
            models:
              dir: %s
              pollSeconds: 1
            ops:
              port: 0
              reportEverySeconds: 0
            pipelines:
              - name: ssd
                family: ssd
                device: cpu
                input: frames
                output: detections
                intraOpThreads: 1
                batch:
                  maxSize: 16
            """
                .formatted(kafka.bootstrapServers(), models));
    return new ConfigLoader(FamilyModules.discover(), Map.of()).load(Optional.of(file));
  }

  /** A copy of a model version under another version number (its model.json says so too). */
  private static void copyVersion(Path from, Path to, int version) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
    Path metadata = to.resolve("model.json");
    Files.writeString(
        metadata,
        Files.readString(metadata).replaceFirst("\"version\":\\s*1", "\"version\": " + version));
  }
}
