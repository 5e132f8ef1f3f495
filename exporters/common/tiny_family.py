"""The model of the test-only family `scale` (y = 2x + 1 on rows of 4 values).

The Java tests serve it from a configuration file to prove that a family needs no edit outside
its own files. Regenerate the committed copy with
`/usr/bin/python3 -m exporters.common.tiny_family src/test/resources/test-family-models`.
"""

import hashlib
import json
import sys
from pathlib import Path

import onnx
from onnx import TensorProto, helper

NAME = "scale"
WIDTH = 4
OPSET = 13


def graph_bytes():
    """The serialized graph: y = x * 2 + 1, batch axis dynamic."""
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", WIDTH])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", WIDTH])
    two = helper.make_tensor("two", TensorProto.FLOAT, [], [2.0])
    one = helper.make_tensor("one", TensorProto.FLOAT, [], [1.0])
    nodes = [
        helper.make_node("Mul", ["x", "two"], ["doubled"]),
        helper.make_node("Add", ["doubled", "one"], ["y"]),
    ]
    graph = helper.make_graph(nodes, NAME, [x], [y], initializer=[two, one])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model.SerializeToString()


def metadata(graph):
    return {
        "name": NAME,
        "version": 1,
        "family": NAME,
        "inputs": [{"name": "x", "dtype": "float32", "shape": [-1, WIDTH]}],
        "outputs": [{"name": "y", "dtype": "float32", "shape": [-1, WIDTH]}],
        "preprocessing": "none: rows pass through",
        "training": {"note": "not trained: a fixed affine map for tests"},
        "sha256": hashlib.sha256(graph).hexdigest(),
    }


def write(root):
    version = Path(root) / NAME / "1"
    version.mkdir(parents=True, exist_ok=True)
    graph = graph_bytes()
    (version / "model.onnx").write_bytes(graph)
    (version / "model.json").write_text(json.dumps(metadata(graph), indent=2) + "\n")
    return version


if __name__ == "__main__":
    print(write(sys.argv[1]))
