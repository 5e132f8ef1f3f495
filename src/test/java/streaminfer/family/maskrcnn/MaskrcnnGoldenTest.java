package streaminfer.family.maskrcnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import streaminfer.family.frames.FrameImageDecoder;
import streaminfer.family.frames.FrameModelGolden;
import streaminfer.family.frames.RgbImage;
import streaminfer.runtime.Tensor;
import streaminfer.v1.SegmentedInstance;

/**
 * The shipped Mask R-CNN against the trainer's golden files: ORT Java reproduces the graph's
 * detections, the Java preprocessing the trainer's input tensor, and the Java pasting, thresholding
 * and RLE the trainer's served masks.
 */
class MaskrcnnGoldenTest {
  private static FrameModelGolden golden;

  @BeforeAll
  static void open() throws IOException {
    golden = FrameModelGolden.open("maskrcnn");
  }

  @AfterAll
  static void close() {
    golden.close();
  }

  @Test
  void onnxRuntimeJavaReproducesTheTrainersDetections() throws IOException {
    for (JsonNode sample : golden.samples()) {
      Map<String, Tensor> outputs =
          golden
              .session()
              .runRows(List.of(Map.of("image", Tensor.of(golden.floats(sample.get("tensor"))))))
              .get(0);
      assertEquals(
          sample.get("count").asInt(),
          outputs.get("scores").floats().length,
          "detections of " + sample);
      assertArrayEquals(labels(sample), outputs.get("labels").longs());
      for (String output : List.of("boxes", "scores", "masks")) {
        golden.assertWithinTolerance(
            output, golden.floats(sample.get(output)), outputs.get(output).floats());
      }
    }
  }

  @Test
  void javaPreprocessingReproducesTheTrainersInputTensor() throws IOException {
    golden.assertPreprocessingReproducesTheTrainersTensors();
  }

  @Test
  void javaPastingReproducesTheTrainersServedMasksExactly() throws IOException {
    SegmentationTask task = task();
    for (JsonNode sample : golden.samples()) {
      RgbImage image = golden.image(sample);
      List<SegmentedInstance> served =
          task.instances(
              image.width(),
              image.height(),
              golden.floats(sample.get("boxes")),
              labels(sample),
              golden.floats(sample.get("scores")),
              golden.floats(sample.get("masks")));
      JsonNode expected = sample.get("instances");
      assertEquals(expected.size(), served.size(), "instances of " + sample.get("image"));
      for (int i = 0; i < served.size(); i++) {
        JsonNode reference = expected.get(i);
        SegmentedInstance instance = served.get(i);
        assertEquals(reference.get("classId").asInt(), instance.getDetection().getClassId());
        assertEquals(reference.get("xMin").asDouble(), instance.getDetection().getXMin(), 1e-5);
        assertEquals(reference.get("yMax").asDouble(), instance.getDetection().getYMax(), 1e-5);
        List<Integer> counts = new ArrayList<>();
        reference.at("/mask/counts").forEach(c -> counts.add(c.asInt()));
        assertEquals(counts, instance.getMask().getCounts(), "mask of instance " + i);
      }
    }
  }

  static SegmentationTask task() {
    return new SegmentationTask(
        golden.session().metadata(),
        new FrameImageDecoder(),
        MaskrcnnPostprocessing.of(
            golden.session().metadata(),
            new MaskrcnnSettings(
                FrameImageDecoder.DEFAULT_MAX_PIXELS,
                Optional.empty(),
                Optional.empty(),
                Optional.empty())),
        Optional.empty(),
        Clock.systemUTC());
  }

  private static long[] labels(JsonNode sample) {
    int count = sample.get("count").asInt();
    long[] labels = new long[count];
    for (int i = 0; i < count; i++) {
      labels[i] = sample.get("labels").get(i).asLong();
    }
    return labels;
  }
}
