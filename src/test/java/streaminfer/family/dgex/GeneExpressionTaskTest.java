package streaminfer.family.dgex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import streaminfer.codec.Floats;
import streaminfer.family.InvalidInputException;
import streaminfer.runtime.Batching;
import streaminfer.runtime.ModelMetadata;
import streaminfer.runtime.Tensor;
import streaminfer.runtime.TensorSpec;
import streaminfer.v1.GeneExpression;
import streaminfer.v1.GenePanel;

class GeneExpressionTaskTest {
  private final GeneExpressionTask task =
      new GeneExpressionTask(
          new ModelMetadata(
              "dgex",
              3,
              "dgex",
              List.of(new TensorSpec("landmarks", "float32", new long[] {-1, 4})),
              List.of(new TensorSpec("targets", "float32", new long[] {-1, 2})),
              "0".repeat(64),
              null,
              Batching.BATCH,
              JsonNodeFactory.instance.objectNode()));

  @Test
  void passesAPanelOfTheModelsLandmarkCountThroughAsOneRow() {
    Map<String, Tensor> row = task.toInputs(panel("s1", 1, 2, 3, 4));
    assertArrayEquals(new float[] {1, 2, 3, 4}, row.get("landmarks").floats());
  }

  @Test
  void rejectsAPanelWhoseLengthDiffersFromTheModelsLandmarkCount() {
    InvalidInputException error =
        assertThrows(InvalidInputException.class, () -> task.toInputs(panel("s1", 1, 2, 3)));
    assertTrue(error.getMessage().contains("3 landmark values"), error.getMessage());
    assertTrue(error.getMessage().contains("takes 4"), error.getMessage());
  }

  @Test
  void rejectsAPanelHoldingNanOrInfinity() {
    assertThrows(InvalidInputException.class, () -> task.toInputs(panel("s1", 1, Float.NaN, 3, 4)));
    assertThrows(
        InvalidInputException.class,
        () -> task.toInputs(panel("s1", 1, 2, Float.POSITIVE_INFINITY, 4)));
  }

  @Test
  void rejectsAPanelAddressedToAnotherModel() {
    GenePanel panel = panel("s1", 1, 2, 3, 4);
    panel.setModel("other");
    assertThrows(InvalidInputException.class, () -> task.toInputs(panel));
  }

  @Test
  void labelsTheOutputWithTheSampleAndTheModelVersion() {
    GeneExpression expression =
        task.toOutput(panel("s9", 1, 2, 3, 4), Map.of("targets", Tensor.of(7f, 8f)));
    assertEquals("s9", expression.getSampleId());
    assertEquals("dgex", expression.getModel());
    assertEquals("3", expression.getModelVersion());
    assertEquals(List.of(7f, 8f), expression.getValues());
  }

  private static GenePanel panel(String id, float... values) {
    return GenePanel.newBuilder().setSampleId(id).setValues(Floats.view(values)).build();
  }
}
