package streaminfer.family.ssd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import streaminfer.family.frames.FrameModelGolden;
import streaminfer.runtime.ModelSession;
import streaminfer.runtime.Tensor;

/**
 * The shipped SSD against the trainer's golden files: ORT Java reproduces the raw heads, the Java
 * preprocessing reproduces the trainer's input tensor from the source frame, and the Java decoding
 * reproduces the trainer's reference detections.
 */
class SsdGoldenTest {
  private static FrameModelGolden golden;

  @BeforeAll
  static void open() throws IOException {
    golden = FrameModelGolden.open("ssd");
  }

  @AfterAll
  static void close() {
    golden.close();
  }

  @Test
  void onnxRuntimeJavaReproducesTheTrainersRawHeads() throws IOException {
    for (JsonNode sample : golden.samples()) {
      Map<String, Tensor> outputs =
          golden
              .session()
              .runRows(List.of(Map.of("images", Tensor.of(golden.floats(sample.get("tensor"))))))
              .get(0);
      for (String output : List.of("boxes", "logits")) {
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
  void javaDecodingReproducesTheTrainersReferenceDetections() throws IOException {
    ModelSession session = golden.session();
    SsdDecoder decoder =
        SsdDecoder.fromMetadata(
            session.metadata(),
            SsdDecoder.fromMetadata(session.metadata()).postprocessing().withOutputThreshold(0f));
    for (JsonNode sample : golden.samples()) {
      List<Box> boxes =
          decoder.decode(golden.floats(sample.get("boxes")), golden.floats(sample.get("logits")));
      JsonNode expected = sample.get("detections");
      assertEquals(expected.size(), boxes.size(), "detections of " + sample.get("image"));
      for (int i = 0; i < boxes.size(); i++) {
        JsonNode reference = expected.get(i);
        Box box = boxes.get(i);
        assertEquals(reference.get("classId").asInt(), box.classId(), "class of detection " + i);
        assertEquals(reference.get("score").asDouble(), box.score(), 1e-4, "score of " + i);
        assertEquals(reference.get("xMin").asDouble(), box.xMin(), 1e-4);
        assertEquals(reference.get("yMin").asDouble(), box.yMin(), 1e-4);
        assertEquals(reference.get("xMax").asDouble(), box.xMax(), 1e-4);
        assertEquals(reference.get("yMax").asDouble(), box.yMax(), 1e-4);
      }
    }
  }
}
