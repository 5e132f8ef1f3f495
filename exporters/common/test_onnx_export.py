import onnx
import torch
from torch import nn

from exporters.common.onnx_export import BATCH_AXIS, OPSET, export_with_dynamic_batch, tensor_dims


def export_small_linear(tmp_path):
    torch.manual_seed(0)
    return export_with_dynamic_batch(
        nn.Sequential(nn.Linear(3, 5), nn.Tanh()), torch.zeros(2, 3), tmp_path / "m.onnx", "x", "y"
    )


def test_exported_graph_has_a_symbolic_batch_axis_on_input_and_output(tmp_path):
    graph = export_small_linear(tmp_path).graph
    assert [i.name for i in graph.input] == ["x"]
    assert [o.name for o in graph.output] == ["y"]
    assert tensor_dims(graph.input[0]) == [BATCH_AXIS, 3]
    assert tensor_dims(graph.output[0]) == [BATCH_AXIS, 5]


def test_exported_graph_uses_the_declared_opset_and_passes_the_checker(tmp_path):
    model = export_small_linear(tmp_path)
    onnx.checker.check_model(onnx.load(str(tmp_path / "m.onnx")))
    assert [o.version for o in model.opset_import if o.domain in ("", "ai.onnx")] == [OPSET]
