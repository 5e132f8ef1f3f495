"""Tiny ONNX graphs and their model.json for the Java runtime tests (src/test/resources/tiny-models).

Regenerate with: /usr/bin/python3 -m exporters.common.tiny_graphs  (from the repository root)

Each graph exercises one thing the runtime must do: typed inputs and outputs of every dtype it
serves, ragged outputs in both forms (padded + counts, concatenated + row index), and a graph with
no batch axis. The files are written deterministically, so a test can compare them byte for byte.
"""

import hashlib
import json
import sys
from pathlib import Path

from onnx import TensorProto, checker, helper

OPSET = 13
TARGET = Path("src/test/resources/tiny-models")

DTYPES = {
    "float32": TensorProto.FLOAT,
    "int64": TensorProto.INT64,
    "int32": TensorProto.INT32,
    "uint8": TensorProto.UINT8,
    "bool": TensorProto.BOOL,
}


def _info(name, dtype, shape):
    # -1 in model.json is a named symbolic dimension in the graph.
    dims = [f"{name}_d{i}" if d < 0 else d for i, d in enumerate(shape)]
    return helper.make_tensor_value_info(name, DTYPES[dtype], dims)


def _model(name, nodes, inputs, outputs, initializers=()):
    graph = helper.make_graph(
        nodes,
        name,
        [_info(*spec) for spec in inputs],
        [_info(*spec) for spec in outputs],
        initializer=list(initializers),
    )
    model = helper.make_model(
        graph, producer_name="streaminfer-tiny", opset_imports=[helper.make_opsetid("", OPSET)]
    )
    model.ir_version = 8
    checker.check_model(model, full_check=True)
    return model


def _tensors(specs, extra=None):
    entries = []
    for name, dtype, shape in specs:
        entry = {"name": name, "dtype": dtype, "shape": list(shape)}
        entry.update((extra or {}).get(name, {}))
        entries.append(entry)
    return entries


def typed():
    """Every served dtype in and straight back out: float32, int64, int32, uint8, bool."""
    inputs = [(f"{d}_in", d, (-1, 2)) for d in DTYPES]
    outputs = [(f"{d}_out", d, (-1, 2)) for d in DTYPES]
    nodes = [helper.make_node("Identity", [f"{d}_in"], [f"{d}_out"]) for d in DTYPES]
    golden = {
        "samples": [
            {
                "model": "model.onnx",
                "inputs": {
                    f"{d}_in": {"dtype": d, "shape": [1, 2], "data": [1, 0]} for d in DTYPES
                },
            }
        ]
    }
    return _model("typed", nodes, inputs, outputs), inputs, outputs, {}, golden


def padded():
    """Padded + counts: detections [batch, maxN, 2] of which the first num_detections are real."""
    inputs = [("candidates", "float32", (-1, -1, 2)), ("counts", "int64", (-1,))]
    outputs = [("detections", "float32", (-1, -1, 2)), ("num_detections", "int64", (-1,))]
    nodes = [
        helper.make_node("Identity", ["candidates"], ["detections"]),
        helper.make_node("Identity", ["counts"], ["num_detections"]),
    ]
    ragged = {"detections": {"ragged": {"counts": "num_detections"}}}
    return _model("padded", nodes, inputs, outputs), inputs, outputs, ragged, None


def indexed():
    """Concatenated + row index: the positive scores of the whole batch, each with its row."""
    inputs = [("scores", "float32", (-1, 3))]
    outputs = [
        ("positive", "float32", (-1,)),
        ("column", "int64", (-1,)),
        ("batch_index", "int64", (-1,)),
    ]
    zero = helper.make_tensor("zero", TensorProto.FLOAT, [], [0.0])
    first = helper.make_tensor("first", TensorProto.INT64, [], [0])
    second = helper.make_tensor("second", TensorProto.INT64, [], [1])
    nodes = [
        helper.make_node("Greater", ["scores", "zero"], ["mask"]),
        helper.make_node("NonZero", ["mask"], ["where"]),
        helper.make_node("Gather", ["where", "first"], ["batch_index"], axis=0),
        helper.make_node("Gather", ["where", "second"], ["column"], axis=0),
        helper.make_node("Transpose", ["where"], ["pairs"], perm=[1, 0]),
        helper.make_node("GatherND", ["scores", "pairs"], ["positive"]),
    ]
    ragged = {
        "positive": {"ragged": {"rowIndex": "batch_index"}},
        "column": {"ragged": {"rowIndex": "batch_index"}},
    }
    model = _model("indexed", nodes, inputs, outputs, [zero, first, second])
    return model, inputs, outputs, ragged, None


def unbatched():
    """No batch axis: one uint8 image [2, W] in, its W columns as points [W, 2] and its shape out."""
    inputs = [("image", "uint8", (2, -1))]
    outputs = [("points", "uint8", (-1, 2)), ("size", "int64", (2,))]
    nodes = [
        helper.make_node("Transpose", ["image"], ["points"], perm=[1, 0]),
        helper.make_node("Shape", ["image"], ["size"]),
    ]
    return _model("unbatched", nodes, inputs, outputs), inputs, outputs, {}, None


def _write(directory, name, model, inputs, outputs, extra, golden, metadata_overrides=None):
    version = directory / name / "1"
    version.mkdir(parents=True, exist_ok=True)
    graph = model.SerializeToString(deterministic=True)
    (version / "model.onnx").write_bytes(graph)
    metadata = {
        "name": name,
        "version": 1,
        "family": "tiny",
        "inputs": _tensors(inputs, extra),
        "outputs": _tensors(outputs, extra),
        "sha256": hashlib.sha256(graph).hexdigest(),
    }
    if golden is not None:
        (version / "golden.json").write_text(json.dumps(golden, indent=1) + "\n")
        metadata["golden"] = "golden.json"
    metadata.update(metadata_overrides or {})
    (version / "model.json").write_text(json.dumps(metadata, indent=1) + "\n")


def write_all(directory=TARGET):
    directory = Path(directory)
    for build in (typed, padded, indexed):
        model, inputs, outputs, extra, golden = build()
        _write(directory, build.__name__, model, inputs, outputs, extra, golden)
    model, inputs, outputs, extra, golden = unbatched()
    _write(directory, "unbatched", model, inputs, outputs, extra, golden, {"batching": "none"})
    # The typed graph, but model.json says int32 where the graph takes int64: must fail at load.
    model, inputs, outputs, extra, _ = typed()
    declared = [(n, "int32" if d == "int64" else d, s) for n, d, s in inputs]
    _write(directory, "mismatched", model, declared, outputs, extra, None)
    return directory


if __name__ == "__main__":
    print(write_all(sys.argv[1] if len(sys.argv) > 1 else TARGET))
