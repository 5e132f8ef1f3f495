"""A tiny end-to-end run of ``python -m exporters.guesswhat all`` and checks on what it ships."""

import json

import numpy as np
import onnx
import pytest
import torch

from exporters.common.manifest import sha256_of
from exporters.common.onnx_export import BATCH_AXIS, tensor_dims
from exporters.guesswhat import onnx_numpy
from exporters.guesswhat.__main__ import main
from exporters.guesswhat.checkpoint import load_checkpoint
from exporters.guesswhat.export import EVALUATION_GAMES_FILE, SCENE_ENCODER_FILE, TIME_AXIS
from exporters.guesswhat.game import (
    CATEGORIES,
    COLOURS,
    MAX_OBJECTS,
    OBJECT_FEATURES,
    VOCABULARY,
    generate_split,
)

HIDDEN, SCENE = 16, 8
TINY_RUN = [
    "--train-games", "48", "--evaluation-games", "8", "--embedding", "8", "--hidden",
    str(HIDDEN), "--scene", str(SCENE), "--batch-size", "16", "--oracle-epochs", "1",
    "--qgen-epochs", "1", "--guesser-epochs", "1", "--reinforce-steps", "2",
    "--reinforce-batch", "8",
]
INTERFACES = {
    "oracle": {
        "tokens": ("int64", [BATCH_AXIS, TIME_AXIS]), "lengths": ("int64", [BATCH_AXIS]),
        "category": ("int64", [BATCH_AXIS]), "colour": ("int64", [BATCH_AXIS]),
        "spatial": ("float32", [BATCH_AXIS, 8]), "logits": ("float32", [BATCH_AXIS, 3]),
    },
    "qgen": {
        "token": ("int64", [BATCH_AXIS]), "h": ("float32", [BATCH_AXIS, HIDDEN]),
        "c": ("float32", [BATCH_AXIS, HIDDEN]), "scene": ("float32", [BATCH_AXIS, SCENE]),
        "logits": ("float32", [BATCH_AXIS, len(VOCABULARY)]),
        "h_out": ("float32", [BATCH_AXIS, HIDDEN]), "c_out": ("float32", [BATCH_AXIS, HIDDEN]),
    },
    "guesser": {
        "tokens": ("int64", [BATCH_AXIS, TIME_AXIS]), "lengths": ("int64", [BATCH_AXIS]),
        "objects": ("float32", [BATCH_AXIS, MAX_OBJECTS, OBJECT_FEATURES]),
        "object_mask": ("float32", [BATCH_AXIS, MAX_OBJECTS]),
        "logits": ("float32", [BATCH_AXIS, MAX_OBJECTS]),
    },
}
DTYPES = {onnx.TensorProto.INT64: "int64", onnx.TensorProto.FLOAT: "float32"}


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    root = tmp_path_factory.mktemp("run")
    work = root / "work"
    main(["all", "--work", str(work), "--out", str(root / "models" / "guesswhat-qgen" / "1"),
          *TINY_RUN])
    return {"work": work, **{role: root / "models" / f"guesswhat-{role}" / "1"
                             for role in INTERFACES}}


def load_json(path):
    return json.loads(path.read_text())


@pytest.mark.parametrize("role", sorted(INTERFACES))
def test_each_graph_has_the_declared_names_dtypes_and_a_dynamic_batch_axis(shipped, role):
    model = onnx.load(str(shipped[role] / "model.onnx"))
    onnx.checker.check_model(model)
    found = {value.name: (DTYPES[value.type.tensor_type.elem_type], tensor_dims(value))
             for value in [*model.graph.input, *model.graph.output]}
    assert found == INTERFACES[role]
    manifest = load_json(shipped[role] / "model.json")
    declared = {entry["name"]: (entry["dtype"], entry["shape"])
                for entry in manifest["inputs"] + manifest["outputs"]}
    assert {name: dtype for name, (dtype, _) in declared.items()} == {
        name: dtype for name, (dtype, _) in found.items()}
    for name, (_, shape) in declared.items():
        assert shape == [-1 if isinstance(d, str) else d for d in found[name][1]]


@pytest.mark.parametrize("role", sorted(INTERFACES))
def test_manifests_carry_the_sha256_vocabulary_features_and_limits(shipped, role):
    manifest = load_json(shipped[role] / "model.json")
    assert (manifest["name"], manifest["version"], manifest["family"]) == (
        f"guesswhat-{role}", 1, "guesswhat")
    assert manifest["sha256"] == sha256_of(shipped[role] / "model.onnx")
    assert manifest["vocabulary"]["tokens"] == list(VOCABULARY)
    assert manifest["features"]["spatial"] == ["xmin", "ymin", "xmax", "ymax", "xcenter",
                                               "ycenter", "width", "height"]
    assert manifest["limits"] == {"maxObjects": 20, "maxQuestionTokens": 8, "questionBudget": 8}
    assert manifest["golden"] == "golden.json"
    assert (shipped[role] / "model.onnx").stat().st_size < 25_000_000


def test_qgen_ships_its_scene_encoder_with_a_hash_and_a_batch_axis(shipped):
    manifest = load_json(shipped["qgen"] / "model.json")
    encoder = manifest["sceneEncoder"]
    assert encoder["file"] == SCENE_ENCODER_FILE
    assert encoder["sha256"] == sha256_of(shipped["qgen"] / SCENE_ENCODER_FILE)
    model = onnx.load(str(shipped["qgen"] / SCENE_ENCODER_FILE))
    assert [tensor_dims(v) for v in model.graph.input] == [
        [BATCH_AXIS, MAX_OBJECTS, OBJECT_FEATURES], [BATCH_AXIS, MAX_OBJECTS]]
    assert tensor_dims(model.graph.output[0]) == [BATCH_AXIS, SCENE]


def test_golden_outputs_are_the_shipped_torch_models_outputs(shipped):
    models, _, _, _ = load_checkpoint(shipped["work"])
    golden = load_json(shipped["guesser"] / "golden.json")
    (sample,) = golden["samples"]
    inputs = {name: torch.tensor(t["data"]).reshape(t["shape"])
              for name, t in sample["inputs"].items()}
    assert inputs["tokens"].dtype == torch.int64
    with torch.no_grad():
        logits = models["guesser"](inputs["tokens"], inputs["lengths"], inputs["objects"],
                                   inputs["object_mask"])
    expected = sample["outputs"]["logits"]
    np.testing.assert_allclose(logits.numpy().reshape(-1), expected["data"], rtol=1e-5)
    qgen = load_json(shipped["qgen"] / "golden.json")
    assert [s["model"] for s in qgen["samples"]] == [SCENE_ENCODER_FILE, "model.onnx"]


@pytest.mark.parametrize("role", sorted(INTERFACES))
def test_the_written_graphs_replay_their_golden_pairs_at_batch_sizes_1_and_all(shipped, role):
    golden = load_json(shipped[role] / "golden.json")
    assert golden["tolerance"] == {"atol": 1e-4, "rtol": 1e-3}
    for sample in golden["samples"]:
        model = onnx.load(str(shipped[role] / sample["model"]))
        inputs = {name: np.array(t["data"], dtype=t["dtype"]).reshape(t["shape"])
                  for name, t in sample["inputs"].items()}
        expected = [np.array(t["data"], dtype=t["dtype"]).reshape(t["shape"])
                    for t in sample["outputs"].values()]
        for rows in (slice(0, 1), slice(None)):
            found = onnx_numpy.run(model, {name: x[rows] for name, x in inputs.items()})
            for graph_output, output in zip(found, expected):
                np.testing.assert_allclose(graph_output, output[rows], **golden["tolerance"])


def test_report_compares_supervised_and_reinforce_qgen_and_links_the_reward_figure(shipped):
    report = (shipped["qgen"] / "report.md").read_text()
    for text in ("QGen supervised", "QGen REINFORCE", "new objects", "new scenes", "oracle",
                 "guesser"):
        assert text in report
    assert "](reinforce_reward.png)" in report
    assert 0 < (shipped["qgen"] / "reinforce_reward.png").stat().st_size < 300_000


def test_evaluation_games_are_the_held_out_games_the_report_scores(shipped):
    _, training, game, sizes = load_checkpoint(shipped["work"])
    document = load_json(shipped["qgen"] / EVALUATION_GAMES_FILE)
    for split in ("new_objects", "new_scenes"):
        expected = generate_split(game, training.seed, split, sizes[split])
        written = document["splits"][split]
        assert len(written) == len(expected)
        for played, entry in zip(expected, written):
            assert entry["target"] == played.target
            assert [o[0] for o in entry["objects"]] == [CATEGORIES[c] for c in played.scene.categories]
            assert [o[1] for o in entry["objects"]] == [COLOURS[c] for c in played.scene.colours]
            np.testing.assert_array_equal(
                np.array([o[2:] for o in entry["objects"]], np.float32), played.scene.boxes)
