package streaminfer.family.scale;

import java.util.Map;
import streaminfer.codec.Floats;
import streaminfer.family.FamilyTask;
import streaminfer.family.InvalidInputException;
import streaminfer.runtime.ModelMetadata;
import streaminfer.runtime.Tensor;
import streaminfer.v1.GeneExpression;
import streaminfer.v1.GenePanel;

/** Rows of the panel's values through the graph, the graph's rows back as the expression. */
final class ScaleTask implements FamilyTask<GenePanel, GeneExpression> {
  private final ModelMetadata metadata;

  ScaleTask(ModelMetadata metadata) {
    this.metadata = metadata;
  }

  @Override
  public Map<String, Tensor> toInputs(GenePanel panel) {
    float[] row = Floats.toArray(panel.getValues());
    if (row.length != metadata.input("x").rowSize()) {
      throw new InvalidInputException("a row of " + row.length + " values; the model takes 4");
    }
    return Map.of("x", Tensor.of(row));
  }

  @Override
  public GeneExpression toOutput(GenePanel panel, Map<String, Tensor> outputs) {
    return GeneExpression.newBuilder()
        .setSampleId(panel.getSampleId())
        .setModel(metadata.name())
        .setModelVersion(Integer.toString(metadata.version()))
        .setValues(Floats.view(outputs.get("y").floats()))
        .build();
  }
}
