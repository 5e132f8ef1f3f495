package streaminfer.family.began;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import streaminfer.runtime.ModelMetadata;
import streaminfer.runtime.ModelRepository;
import streaminfer.v1.Frame;
import streaminfer.v1.FrameEncoding;

/**
 * Frames made from the discriminator's golden inputs (held-out images of its training set, as 32x32
 * PNGs): the demo feed and the benchmark's input, so neither needs the data set.
 */
public final class GoldenFrames {
  private final List<float[]> rows;
  private final List<byte[]> pngs;
  private final int side;

  private GoldenFrames(List<float[]> rows, int side) {
    this.rows = List.copyOf(rows);
    this.pngs = rows.stream().map(row -> GreyPng.encode(GreyPng.pixels(row), side, side)).toList();
    this.side = side;
  }

  public static GoldenFrames of(Path modelsDir) {
    Path version =
        new ModelRepository(modelsDir)
            .versionDirectory(BeganFramesModule.DISCRIMINATOR, OptionalInt.empty());
    ModelMetadata metadata = ModelMetadata.read(version.resolve("model.json"));
    int side = (int) metadata.inputs().get(0).shape()[3];
    List<float[]> rows = new ArrayList<>();
    try {
      for (JsonNode row :
          new ObjectMapper().readTree(version.resolve(metadata.golden()).toFile()).get("inputs")) {
        float[] image = new float[row.size()];
        for (int i = 0; i < image.length; i++) {
          image[i] = (float) row.get(i).asDouble();
        }
        rows.add(image);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(version + ": cannot read the golden file", e);
    }
    return new GoldenFrames(rows, side);
  }

  /** Frame {@code seq} of {@code streamId}, captured now: the golden images in turn. */
  public Frame frame(String streamId, long seq) {
    return new Frame(
        streamId,
        seq,
        System.currentTimeMillis() * 1000,
        side,
        side,
        FrameEncoding.PNG,
        ByteBuffer.wrap(pngs.get((int) (seq % pngs.size()))));
  }

  /** The discriminator's input rows of the golden images, for runs without Kafka. */
  public List<float[]> rows() {
    return rows;
  }
}
