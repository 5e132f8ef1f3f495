package streaminfer.family.dgex;

import java.util.List;
import java.util.Map;
import streaminfer.codec.Floats;
import streaminfer.family.FamilyTask;
import streaminfer.family.InvalidInputException;
import streaminfer.runtime.ModelMetadata;
import streaminfer.runtime.Tensor;
import streaminfer.v1.GeneExpression;
import streaminfer.v1.GenePanel;

/**
 * D-GEX: a panel of landmark gene expression (log2, in the model's landmark order) to the inferred
 * expression of the target genes. Normalisation lives inside the graph, so rows pass through raw.
 */
public final class GeneExpressionTask implements FamilyTask<GenePanel, GeneExpression> {
  private final String model;
  private final String modelVersion;
  private final String inputName;
  private final String outputName;
  private final int landmarkCount;

  public GeneExpressionTask(ModelMetadata metadata) {
    if (metadata.inputs().size() != 1 || metadata.outputs().size() != 1) {
      throw new IllegalArgumentException(
          "a D-GEX model has one input and one output; "
              + metadata.name()
              + " has "
              + metadata.inputs()
              + " -> "
              + metadata.outputs());
    }
    this.model = metadata.name();
    this.modelVersion = Integer.toString(metadata.version());
    this.inputName = metadata.inputs().get(0).name();
    this.outputName = metadata.outputs().get(0).name();
    this.landmarkCount = metadata.inputs().get(0).rowSize();
  }

  @Override
  public Map<String, Tensor> toInputs(GenePanel panel) {
    if (panel.getModel() != null && !panel.getModel().equals(model)) {
      throw new InvalidInputException(
          "panel "
              + panel.getSampleId()
              + " asks for model "
              + panel.getModel()
              + ", not "
              + model);
    }
    List<Float> values = panel.getValues();
    if (values.size() != landmarkCount) {
      throw new InvalidInputException(
          "panel "
              + panel.getSampleId()
              + " has "
              + values.size()
              + " landmark values; model "
              + model
              + " takes "
              + landmarkCount);
    }
    float[] row = Floats.toArray(values);
    for (int i = 0; i < row.length; i++) {
      if (!Float.isFinite(row[i])) {
        throw new InvalidInputException(
            "panel " + panel.getSampleId() + " has a non-finite value (" + row[i] + ") at " + i);
      }
    }
    return Map.of(inputName, Tensor.of(row));
  }

  @Override
  public GeneExpression toOutput(GenePanel panel, Map<String, Tensor> outputs) {
    return GeneExpression.newBuilder()
        .setSampleId(panel.getSampleId())
        .setModel(model)
        .setModelVersion(modelVersion)
        .setValues(Floats.view(outputs.get(outputName).floats()))
        .build();
  }
}
