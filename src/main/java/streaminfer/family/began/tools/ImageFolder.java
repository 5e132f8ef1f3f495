package streaminfer.family.began.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import streaminfer.bench.Backlog;
import streaminfer.codec.AvroCodec;
import streaminfer.codec.WriterSchemas;
import streaminfer.v1.GeneratedImage;

/** Writes the images of one generation request, read from the images topic, as PNG files. */
final class ImageFolder {
  private ImageFolder() {}

  /**
   * Reads the topic from its start until {@code count} images keyed {@code requestId} arrived;
   * writes {@code <requestId>-<index>.png} (with {@code -seed<s>} when drawn from a seed).
   */
  static List<Path> collect(
      Map<String, String> client,
      String topic,
      String requestId,
      int count,
      Path folder,
      Duration timeout)
      throws IOException, TimeoutException {
    Files.createDirectories(folder);
    AvroCodec<GeneratedImage> codec = AvroCodec.forType(GeneratedImage.class, WriterSchemas.v1());
    TreeMap<Integer, Path> written = new TreeMap<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<String, byte[]> reader =
        Backlog.readerFromStart(client, topic, "image-folder-" + System.nanoTime())) {
      while (written.size() < count) {
        if (System.nanoTime() > deadline) {
          throw new TimeoutException(
              written.size() + " of " + count + " images of " + requestId + " after " + timeout);
        }
        for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(200))) {
          if (!requestId.equals(record.key())) {
            continue;
          }
          GeneratedImage image = codec.decode(record.value());
          String seed = image.getSeed() == null ? "" : "-seed" + image.getSeed();
          Path file = folder.resolve(requestId + "-" + image.getIndex() + seed + ".png");
          byte[] png = new byte[image.getData().remaining()];
          image.getData().get(png);
          Files.write(file, png);
          written.put(image.getIndex(), file);
        }
      }
    }
    return new ArrayList<>(written.values());
  }
}
