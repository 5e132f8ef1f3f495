package streaminfer.family.ssd.tools;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import streaminfer.broker.Topics;
import streaminfer.client.KafkaOptions;
import streaminfer.client.Progress;
import streaminfer.codec.AvroCodec;
import streaminfer.codec.WriterSchemas;
import streaminfer.source.JpegEncoder;
import streaminfer.source.SyntheticCameras;
import streaminfer.source.VideoFile;
import streaminfer.v1.Frame;
import streaminfer.v1.FrameEncoding;

/** {@code produce frames}: paced Frame records, keyed by stream id, from cameras or files. */
@Command(
    name = "frames",
    mixinStandardHelpOptions = true,
    description = "Frame records at a camera's pace: synthetic scenes, images or a video file.")
public final class FramesCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;

  @ArgGroup(multiplicity = "1")
  Source source;

  static final class Source {
    @Option(names = "--synthetic", description = "Synthetic moving shapes, drawn here.")
    boolean synthetic;

    @Option(names = "--dir", description = "JPEG/PNG files of a directory, in name order.")
    Path directory;

    @Option(names = "--video", description = "A video file, decoded with FFmpeg, sent as JPEG.")
    Path video;
  }

  @Option(names = "--streams", defaultValue = "1", description = "Synthetic streams.")
  int streams;

  @Option(names = "--stream", defaultValue = "cam", description = "Stream id (prefix).")
  String stream;

  @Option(names = "--fps", defaultValue = "60", description = "Frames per second per stream.")
  double fps;

  @Option(
      names = "--seconds",
      defaultValue = "10",
      description = "How long to send; a video stops at its end unless --loop.")
  double seconds;

  @Option(names = "--size", defaultValue = "320", description = "Synthetic frame side, pixels.")
  int size;

  @Option(names = "--topic", defaultValue = "frames")
  String topic;

  @Option(names = "--loop", description = "Start a video again at its end.")
  boolean loop;

  @Override
  public Integer call() throws Exception {
    AvroCodec<Frame> codec = AvroCodec.forType(Frame.class, WriterSchemas.v1());
    Topics.ensure(kafka.clientProperties(), List.of(topic), 3, Map.of());
    List<Path> files = source.directory == null ? List.of() : imagesIn(source.directory);
    int streamCount = source.synthetic ? streams : 1;
    long ticks = Math.round(seconds * fps);
    long periodNanos = Math.round(1e9 / fps);
    long sent = 0;
    try (KafkaProducer<String, byte[]> producer = producer();
        SyntheticCameras cameras = new SyntheticCameras(stream, streamCount, size, size, 0.85f, 1);
        JpegEncoder jpeg = new JpegEncoder(0.85f);
        // A bar with rate and ETA on a terminal, a plain line every 5 s in a log.
        Progress progress =
            Progress.onStdout("frames to " + topic, "frames", ticks * streamCount)) {
      VideoFile video = source.video == null ? null : new VideoFile(source.video);
      long start = System.nanoTime();
      for (long tick = 0; tick < ticks; tick++) {
        long due = start + tick * periodNanos;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        if (video != null) {
          Optional<BufferedImage> image = video.next();
          if (image.isEmpty() && loop) {
            video.close();
            video = new VideoFile(source.video);
            image = video.next();
          }
          if (image.isEmpty()) {
            break;
          }
          Frame frame = encoded(image.get(), tick, jpeg);
          byte[] value = codec.encode(frame);
          producer.send(new ProducerRecord<>(topic, frame.getStreamId(), value));
          progress.advance(1, value.length);
          sent++;
        }
        for (int s = 0; video == null && s < streamCount; s++) {
          Frame frame =
              source.synthetic
                  ? cameras.next(s).frame()
                  : fromFile(files.get((int) (tick % files.size())), tick);
          byte[] value = codec.encode(frame);
          producer.send(new ProducerRecord<>(topic, frame.getStreamId(), value));
          progress.advance(1, value.length);
          sent++;
        }
      }
      producer.flush();
      if (video != null) {
        video.close();
      }
    }
    System.out.printf("produced %d Frame records to %s%n", sent, topic);
    return 0;
  }

  private Frame encoded(BufferedImage image, long seq, JpegEncoder jpeg) {
    return frame(seq, image, FrameEncoding.JPEG, jpeg.encode(image));
  }

  /** A frame of this stream, captured now. */
  private Frame frame(long seq, BufferedImage image, FrameEncoding encoding, byte[] data) {
    return Frame.newBuilder()
        .setStreamId(stream)
        .setSeq(seq)
        .setCaptureTimeMicros(System.currentTimeMillis() * 1000)
        .setWidth(image.getWidth())
        .setHeight(image.getHeight())
        .setEncoding(encoding)
        .setData(ByteBuffer.wrap(data))
        .build();
  }

  private Frame fromFile(Path file, long seq) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    BufferedImage image = ImageIO.read(file.toFile());
    if (image == null) {
      throw new IOException(file + " is not an image ImageIO can read");
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return frame(seq, image, name.endsWith(".png") ? FrameEncoding.PNG : FrameEncoding.JPEG, bytes);
  }

  private static List<Path> imagesIn(Path directory) throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      List<Path> images =
          entries
              .filter(
                  p ->
                      p.getFileName()
                          .toString()
                          .toLowerCase(Locale.ROOT)
                          .matches(".*\\.(jpe?g|png)"))
              .sorted()
              .toList();
      if (images.isEmpty()) {
        throw new IOException("no .jpg, .jpeg or .png files in " + directory);
      }
      return images;
    }
  }

  private KafkaProducer<String, byte[]> producer() {
    Map<String, Object> properties = new HashMap<>(kafka.clientProperties());
    properties.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    return new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
  }
}
