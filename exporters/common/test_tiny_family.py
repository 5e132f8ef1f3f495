import json
from pathlib import Path

import numpy as np
import onnx

from exporters.common import tiny_family
from exporters.common.onnx_numpy import evaluate

COMMITTED = Path(__file__).resolve().parents[2] / "src/test/resources/test-family-models/scale/1"


def test_the_committed_model_is_what_the_generator_writes(tmp_path):
    version = tiny_family.write(tmp_path)
    assert (version / "model.onnx").read_bytes() == (COMMITTED / "model.onnx").read_bytes()
    assert json.loads((version / "model.json").read_text()) == json.loads(
        (COMMITTED / "model.json").read_text()
    )


def test_the_graph_computes_two_x_plus_one():
    model = onnx.load_from_string(tiny_family.graph_bytes())
    x = np.array([[0.0, 1.0, -2.0, 0.5]], dtype=np.float32)
    (y,) = evaluate(model, {"x": x}, {"Mul": np.multiply, "Add": np.add})
    np.testing.assert_array_equal(y, 2 * x + 1)


def test_the_graph_is_valid_onnx_with_a_dynamic_batch_axis():
    model = onnx.load_from_string(tiny_family.graph_bytes())
    onnx.checker.check_model(model)
    batch = model.graph.input[0].type.tensor_type.shape.dim[0]
    assert batch.dim_param == "batch"
