"""Export of a torch module to ONNX with one named input, one named output and a dynamic batch."""

import onnx
import torch

# ONNX Runtime 1.23 (the Java side) runs opset 17; torch 1.13's exporter goes no higher.
OPSET = 17
BATCH_AXIS = "batch"


def export_with_dynamic_batch(module, example_input, path, input_name, output_name, opset=OPSET):
    """Writes ``module`` (in eval mode) to ``path`` with axis 0 of input and output named ``batch``.

    Returns the loaded, checked ONNX model so callers can inspect what was written.
    """
    module.eval()
    with torch.no_grad():
        torch.onnx.export(
            module,
            (example_input,),
            str(path),
            input_names=[input_name],
            output_names=[output_name],
            dynamic_axes={input_name: {0: BATCH_AXIS}, output_name: {0: BATCH_AXIS}},
            opset_version=opset,
            do_constant_folding=True,
        )
    model = onnx.load(str(path))
    onnx.checker.check_model(model)
    return model


def tensor_dims(value_info):
    """Dims of a graph input or output: ints for fixed axes, names for symbolic ones."""
    return [
        dim.dim_param if dim.HasField("dim_param") else dim.dim_value
        for dim in value_info.type.tensor_type.shape.dim
    ]
