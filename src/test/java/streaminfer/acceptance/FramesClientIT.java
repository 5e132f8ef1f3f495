package streaminfer.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An outside camera client: it draws its own shape videos (a plain square, disc or triangle sliding
 * over a flat background; not the trainer's generator nor the engine's demo cameras), encodes
 * frames with Avro's generic single-object encoder from the .avsc files, mixes in corrupt frames,
 * and reads detections back from the packaged jar's {@code serve --pipelines ssd}.
 */
class FramesClientIT {
  private static final String[] LABELS = {"circle", "square", "triangle"};
  private static final int STREAMS = 3;
  private static final int FRAMES_PER_STREAM = 50;
  private static final int CORRUPT = 6;

  @TempDir Path dataDir;
  private EngineProcess engine;

  @BeforeEach
  void start() throws Exception {
    engine = new EngineProcess(dataDir, "frames", List.of("--pipelines", "ssd"));
  }

  @AfterEach
  void stop() throws Exception {
    engine.close();
  }

  @Test
  void detectionsComeBackInStreamOrderWithHighRecallAndCorruptFramesAreDeadLettered()
      throws Exception {
    Schema.Parser parser = new Schema.Parser();
    parser.parse(new File("schemas/common/FrameEncoding.avsc"));
    parser.parse(new File("schemas/common/Detection.avsc"));
    Schema frameSchema = parser.parse(new File("schemas/Frame.avsc"));
    Schema detectionsSchema = parser.parse(new File("schemas/Detections.avsc"));
    BinaryMessageEncoder<GenericRecord> encoder =
        new BinaryMessageEncoder<>(GenericData.get(), frameSchema);

    Random random = new Random(31);
    Map<String, double[]> truth = new HashMap<>();
    Map<String, String> truthLabel = new HashMap<>();
    List<Map.Entry<String, byte[]>> records = new ArrayList<>();
    for (int stream = 0; stream < STREAMS; stream++) {
      String streamId = "client-cam-" + stream;
      int kind = stream % 3;
      Color background = new Color(random.nextInt(90), random.nextInt(90), random.nextInt(90));
      Color fill =
          new Color(150 + random.nextInt(100), 150 + random.nextInt(100), random.nextInt(255));
      int side = 70 + random.nextInt(50);
      for (int seq = 0; seq < FRAMES_PER_STREAM; seq++) {
        int x = 10 + seq * (300 - side - 20) / FRAMES_PER_STREAM;
        int y = 40 + stream * 60;
        byte[] jpeg = draw(kind, background, fill, x, y, side);
        truth.put(
            streamId + "#" + seq,
            new double[] {x / 320.0, y / 320.0, (x + side) / 320.0, (y + side) / 320.0});
        truthLabel.put(streamId + "#" + seq, LABELS[kind]);
        records.add(
            Map.entry(
                streamId, frame(encoder, frameSchema, streamId, seq, 320, 320, "JPEG", jpeg)));
      }
    }
    byte[] sample = draw(1, Color.BLACK, Color.WHITE, 100, 100, 80);
    records.add(
        Map.entry(
            "broken",
            frame(
                encoder,
                frameSchema,
                "broken",
                0,
                320,
                320,
                "JPEG",
                Arrays.copyOf(sample, sample.length / 2))));
    records.add(
        Map.entry("broken", frame(encoder, frameSchema, "broken", 1, 640, 320, "JPEG", sample)));
    records.add(
        Map.entry(
            "broken",
            frame(encoder, frameSchema, "broken", 2, 320, 320, "RGB24", new byte[320 * 320])));
    records.add(
        Map.entry("broken", frame(encoder, frameSchema, "broken", 3, 320, 320, "PNG", sample)));
    records.add(
        Map.entry(
            "broken", frame(encoder, frameSchema, "broken", 4, 50_000, 50_000, "JPEG", sample)));
    records.add(
        Map.entry("broken", "not a frame".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    engine.produce("frames", records);

    List<ConsumerRecord<String, byte[]>> outputs =
        engine.consume("detections", STREAMS * FRAMES_PER_STREAM);
    List<ConsumerRecord<String, byte[]>> letters = engine.consume("frames.dlq", CORRUPT);
    assertEquals(STREAMS * FRAMES_PER_STREAM, outputs.size(), "one Detections per good frame");
    assertEquals(CORRUPT, letters.size(), "every corrupt frame dead-lettered, nothing else");
    letters.forEach(l -> assertNotNull(l.headers().lastHeader("error.message")));

    BinaryMessageDecoder<GenericRecord> decoder =
        new BinaryMessageDecoder<>(GenericData.get(), detectionsSchema);
    Map<String, Long> lastSeq = new HashMap<>();
    int found = 0;
    for (ConsumerRecord<String, byte[]> output : outputs) {
      GenericRecord detections = decoder.decode(output.value());
      String streamId = detections.get("streamId").toString();
      long seq = (Long) detections.get("seq");
      assertTrue(seq > lastSeq.getOrDefault(streamId, -1L), streamId + " out of frame order");
      lastSeq.put(streamId, seq);
      double[] box = truth.get(streamId + "#" + seq);
      @SuppressWarnings("unchecked")
      List<GenericRecord> boxes = (List<GenericRecord>) detections.get("detections");
      for (GenericRecord detection : boxes) {
        if (detection.get("label").toString().equals(truthLabel.get(streamId + "#" + seq))
            && iou(box, detection) >= 0.5) {
          found++;
          break;
        }
      }
    }
    double recall = (double) found / outputs.size();
    assertTrue(recall >= 0.9, "recall at IoU 0.5 on the client's scenes: " + recall);
  }

  private static byte[] draw(int kind, Color background, Color fill, int x, int y, int side)
      throws Exception {
    BufferedImage image = new BufferedImage(320, 320, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = image.createGraphics();
    g.setColor(background);
    g.fillRect(0, 0, 320, 320);
    g.setColor(fill);
    switch (kind) {
      case 0 -> g.fillOval(x, y, side, side);
      case 1 -> g.fillRect(x, y, side, side);
      default ->
          g.fillPolygon(
              new int[] {x, x + side / 2, x + side}, new int[] {y + side, y, y + side}, 3);
    }
    g.dispose();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(image, "jpeg", bytes);
    return bytes.toByteArray();
  }

  private static byte[] frame(
      BinaryMessageEncoder<GenericRecord> encoder,
      Schema schema,
      String streamId,
      long seq,
      int width,
      int height,
      String encoding,
      byte[] data)
      throws Exception {
    GenericRecord frame = new GenericData.Record(schema);
    frame.put("streamId", streamId);
    frame.put("seq", seq);
    frame.put("captureTimeMicros", System.currentTimeMillis() * 1000);
    frame.put("width", width);
    frame.put("height", height);
    frame.put(
        "encoding", new GenericData.EnumSymbol(schema.getField("encoding").schema(), encoding));
    frame.put("data", ByteBuffer.wrap(data));
    ByteBuffer encoded = encoder.encode(frame);
    byte[] bytes = new byte[encoded.remaining()];
    encoded.get(bytes);
    return bytes;
  }

  private static double iou(double[] box, GenericRecord detection) {
    double x0 = Math.max(box[0], (Float) detection.get("xMin"));
    double y0 = Math.max(box[1], (Float) detection.get("yMin"));
    double x1 = Math.min(box[2], (Float) detection.get("xMax"));
    double y1 = Math.min(box[3], (Float) detection.get("yMax"));
    if (x1 <= x0 || y1 <= y0) {
      return 0;
    }
    double intersection = (x1 - x0) * (y1 - y0);
    double detected =
        ((Float) detection.get("xMax") - (Float) detection.get("xMin"))
            * ((Float) detection.get("yMax") - (Float) detection.get("yMin"));
    return intersection / ((box[2] - box[0]) * (box[3] - box[1]) + detected - intersection);
  }
}
