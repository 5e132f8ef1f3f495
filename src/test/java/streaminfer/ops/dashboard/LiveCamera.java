package streaminfer.ops.dashboard;

import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import streaminfer.codec.AvroCodec;
import streaminfer.codec.WriterSchemas;
import streaminfer.source.LiveCameras;
import streaminfer.source.SyntheticCameras;
import streaminfer.v1.Frame;

/** A synthetic camera played into a topic at a steady rate on its own thread, until closed. */
final class LiveCamera implements AutoCloseable {
  private final KafkaProducer<String, byte[]> producer;
  private final SyntheticCameras camera;
  private final Thread thread;
  private volatile boolean running = true;

  LiveCamera(String bootstrap, String topic, String stream, int framesPerSecond) {
    this.producer = LiveCameras.producer(bootstrap);
    this.camera = new SyntheticCameras(stream, 1, 320, 320, 0.85f, 7);
    AvroCodec<Frame> codec = AvroCodec.forType(Frame.class, WriterSchemas.v1());
    long periodNanos = TimeUnit.SECONDS.toNanos(1) / framesPerSecond;
    this.thread =
        new Thread(
            () -> {
              long next = System.nanoTime();
              while (running) {
                Frame frame = camera.next(0).frame();
                producer.send(
                    new ProducerRecord<>(topic, frame.getStreamId(), codec.encode(frame)));
                next += periodNanos;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                  try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              }
            },
            "live-camera-" + stream);
    thread.setDaemon(true);
    thread.start();
  }

  /** A record that is no frame at all, for the dead-letter table. */
  void sendGarbage(String topic) {
    producer.send(new ProducerRecord<>(topic, "garbage", new byte[] {1, 2, 3}));
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(5_000);
    producer.close();
    camera.close();
  }
}
