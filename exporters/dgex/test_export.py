"""A tiny end-to-end run of ``python -m exporters.dgex all`` and checks on what it ships."""

import json

import numpy as np
import onnx
import pytest
from onnx import numpy_helper

from exporters.common.manifest import sha256_of
from exporters.common.onnx_export import BATCH_AXIS, tensor_dims
from exporters.dgex.__main__ import main

LANDMARKS, TARGETS = 12, 20
TINY_RUN = [
    "--landmarks", str(LANDMARKS), "--targets", str(TARGETS), "--programs", "3",
    "--interactions", "2", "--train-samples", "400", "--validation-samples", "80",
    "--test-samples", "80", "--hidden", "16", "--layers", "2", "--max-epochs", "3",
    "--batch-size", "50",
]


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    root = tmp_path_factory.mktemp("run")
    out = root / "models" / "dgex" / "1"
    main(["all", "--work", str(root / "work"), "--out", str(out), *TINY_RUN])
    return out


def run_onnx_with_numpy(model, inputs):
    """Evaluates the few ONNX ops a D-GEX graph uses; no onnxruntime exists on the build machine."""
    values = {init.name: numpy_helper.to_array(init) for init in model.graph.initializer}
    values[model.graph.input[0].name] = inputs
    for node in model.graph.node:
        args = [values[name] for name in node.input]
        attributes = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
        values[node.output[0]] = NUMPY_OPS[node.op_type](*args, **attributes)
    return values[model.graph.output[0].name]


def gemm(a, b, c=0.0, alpha=1.0, beta=1.0, transA=0, transB=0):
    return alpha * ((a.T if transA else a) @ (b.T if transB else b)) + beta * c


NUMPY_OPS = {
    "Sub": np.subtract, "Div": np.divide, "Mul": np.multiply, "Add": np.add,
    "MatMul": np.matmul, "Tanh": np.tanh, "Gemm": gemm, "Identity": lambda x: x,
}


def test_exported_graph_takes_raw_values_and_returns_raw_values(shipped):
    model = onnx.load(str(shipped / "model.onnx"))
    golden = json.loads((shipped / "golden.json").read_text())
    raw_landmarks = np.array(golden["inputs"], dtype=np.float32)
    assert raw_landmarks.min() > 1.5  # log2 intensities, not standardised values
    outputs = run_onnx_with_numpy(model, raw_landmarks)
    assert 1.5 < outputs.mean() < 14.5
    np.testing.assert_allclose(outputs, np.array(golden["outputs"]), atol=1e-4, rtol=1e-4)


def test_graph_input_and_output_have_a_symbolic_batch_axis(shipped):
    model = onnx.load(str(shipped / "model.onnx"))
    onnx.checker.check_model(model)
    assert [i.name for i in model.graph.input] == ["landmarks"]
    assert [o.name for o in model.graph.output] == ["targets"]
    assert tensor_dims(model.graph.input[0]) == [BATCH_AXIS, LANDMARKS]
    assert tensor_dims(model.graph.output[0]) == [BATCH_AXIS, TARGETS]
    for batch in (1, 5):
        outputs = run_onnx_with_numpy(model, np.full((batch, LANDMARKS), 8.0, np.float32))
        assert outputs.shape == (batch, TARGETS)


def test_manifest_has_exactly_the_keys_the_java_side_reads(shipped):
    manifest = json.loads((shipped / "model.json").read_text())
    assert set(manifest) == {
        "name", "version", "family", "inputs", "outputs", "preprocessing", "labels",
        "training", "sha256", "golden",
    }
    assert (manifest["name"], manifest["version"], manifest["family"]) == ("dgex", 1, "dgex")
    assert manifest["inputs"] == [
        {"name": "landmarks", "dtype": "float32", "shape": [-1, LANDMARKS]}
    ]
    assert manifest["outputs"] == [
        {"name": "targets", "dtype": "float32", "shape": [-1, TARGETS]}
    ]
    assert manifest["golden"] == "golden.json"
    assert set(manifest["training"]["mae"]) == {"dgex", "linear", "knn"}


def test_manifest_sha256_matches_the_exported_file(shipped):
    manifest = json.loads((shipped / "model.json").read_text())
    assert manifest["sha256"] == sha256_of(shipped / "model.onnx")


def test_manifest_labels_name_every_gene_in_tensor_order(shipped):
    labels = json.loads((shipped / "model.json").read_text())["labels"]
    assert labels["landmarks"] == [f"LM{i:04d}" for i in range(1, LANDMARKS + 1)]
    assert labels["targets"] == [f"TG{i:05d}" for i in range(1, TARGETS + 1)]


def test_golden_file_holds_four_pairs_with_the_agreed_tolerance(shipped):
    golden = json.loads((shipped / "golden.json").read_text())
    assert (golden["input"], golden["output"]) == ("landmarks", "targets")
    assert np.array(golden["inputs"]).shape == (4, LANDMARKS)
    assert np.array(golden["outputs"]).shape == (4, TARGETS)
    assert golden["tolerance"] == {"atol": 1e-4, "rtol": 1e-4}


def test_report_compares_the_three_models_and_links_small_figures(shipped):
    report = (shipped / "report.md").read_text()
    for model in ("D-GEX", "Linear regression", "k-nearest neighbours"):
        assert model in report
    for figure in ("mae_by_model.png", "per_gene_mae_dgex_vs_linear.png"):
        assert f"]({figure})" in report
        assert 0 < (shipped / figure).stat().st_size < 300_000
