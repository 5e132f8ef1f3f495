package streaminfer.source;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import streaminfer.v1.Frame;
import streaminfer.v1.FrameEncoding;

/**
 * Several synthetic cameras ({@link MovingShapes}), each a stream {@code <prefix>-<n>} whose frames
 * are numbered from 0 and stamped with their capture time. Not thread-safe.
 */
public final class SyntheticCameras implements AutoCloseable {
  /** A frame and the true objects in it. */
  public record Shot(Frame frame, List<SceneObject> truth) {}

  private final List<MovingShapes> cameras = new ArrayList<>();
  private final List<String> streamIds = new ArrayList<>();
  private final long[] sequence;
  private final int width;
  private final int height;
  private final JpegEncoder jpeg;

  public SyntheticCameras(
      String prefix, int streams, int width, int height, float quality, long seed) {
    for (int i = 0; i < streams; i++) {
      cameras.add(new MovingShapes(width, height, seed * 1_000_003L + i));
      streamIds.add(prefix + "-" + i);
    }
    this.sequence = new long[streams];
    this.width = width;
    this.height = height;
    this.jpeg = new JpegEncoder(quality);
  }

  public int streams() {
    return cameras.size();
  }

  /** The next frame of stream {@code index}, captured now. */
  public Shot next(int index) {
    List<SceneObject> truth = new ArrayList<>();
    byte[] data = jpeg.encode(cameras.get(index).nextFrame(truth));
    Frame frame =
        Frame.newBuilder()
            .setStreamId(streamIds.get(index))
            .setSeq(sequence[index]++)
            .setCaptureTimeMicros(System.currentTimeMillis() * 1000)
            .setWidth(width)
            .setHeight(height)
            .setEncoding(FrameEncoding.JPEG)
            .setData(ByteBuffer.wrap(data))
            .build();
    return new Shot(frame, List.copyOf(truth));
  }

  @Override
  public void close() {
    jpeg.close();
  }
}
