"""A tiny end-to-end run of ``python -m exporters.ssd all`` and checks on what it ships."""

import json

import numpy as np
import onnx
import pytest
import torch
from PIL import Image

from exporters.common.manifest import sha256_of
from exporters.common.onnx_export import BATCH_AXIS, tensor_dims
from exporters.ssd import onnx_numpy
from exporters.ssd.__main__ import main
from exporters.ssd.data import preprocess
from exporters.ssd.decoding import detect
from exporters.ssd.export import read_f32

SIZE, PRIORS, COLUMNS = 160, 2136, 4
TINY_RUN = [
    "--train-scenes", "24", "--validation-scenes", "3", "--test-scenes", "6", "--steps", "3",
    "--batch-size", "4", "--width", "8", "--ablation-steps", "1", "--warmup-steps", "1",
]


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    root = tmp_path_factory.mktemp("run")
    out = root / "models" / "ssd" / "1"
    main(["all", "--work", str(root / "work"), "--out", str(out), *TINY_RUN])
    return out


def load_json(path):
    return json.loads(path.read_text())


def test_graph_has_a_dynamic_batch_axis_and_the_declared_shapes(shipped):
    model = onnx.load(str(shipped / "model.onnx"))
    onnx.checker.check_model(model)
    manifest = load_json(shipped / "model.json")
    assert [i.name for i in model.graph.input] == ["images"]
    assert [o.name for o in model.graph.output] == ["boxes", "logits"]
    assert tensor_dims(model.graph.input[0]) == [BATCH_AXIS, 3, SIZE, SIZE]
    assert tensor_dims(model.graph.output[0]) == [BATCH_AXIS, PRIORS, 4]
    assert tensor_dims(model.graph.output[1]) == [BATCH_AXIS, PRIORS, COLUMNS]
    declared = [entry["shape"] for entry in manifest["inputs"] + manifest["outputs"]]
    assert declared == [[-1, 3, SIZE, SIZE], [-1, PRIORS, 4], [-1, PRIORS, COLUMNS]]
    for batch in (1, 3):
        boxes, logits = onnx_numpy.run(model, {"images": np.zeros((batch, 3, SIZE, SIZE),
                                                                  np.float32)})
        assert boxes.shape == (batch, PRIORS, 4) and logits.shape == (batch, PRIORS, COLUMNS)


def test_manifest_has_exactly_the_keys_the_java_side_reads(shipped):
    manifest = load_json(shipped / "model.json")
    assert set(manifest) == {
        "name", "version", "family", "inputs", "outputs", "preprocessing", "labels", "priors",
        "variances", "postprocessing", "training", "golden", "sha256",
    }
    assert (manifest["name"], manifest["version"], manifest["family"]) == ("ssd", 1, "ssd")
    assert manifest["labels"] == ["circle", "square", "triangle"]
    assert manifest["variances"] == [0.1, 0.2]
    assert np.array(manifest["priors"]).shape == (PRIORS, 4)
    pre = manifest["preprocessing"]
    assert {k: pre[k] for k in ("width", "height", "channels", "layout", "resize")} == {
        "width": SIZE, "height": SIZE, "channels": "RGB", "layout": "NCHW",
        "resize": "bilinear-stretch"}
    assert pre["scale"] == 1 / 255 and len(pre["mean"]) == len(pre["std"]) == 3
    post = manifest["postprocessing"]
    assert (post["scoreThreshold"], post["nmsIouThreshold"], post["topK"]) == (0.01, 0.45, 200)
    assert manifest["golden"] == "golden.json"
    assert manifest["sha256"] == sha256_of(shipped / "model.onnx")
    assert set(manifest["training"]["ablation"]["mAP"]) == {"hard_negative_mining",
                                                           "all_negatives"}


def test_golden_files_round_trip_through_preprocessing_the_graph_and_decoding(shipped):
    golden = load_json(shipped / "golden.json")
    manifest = load_json(shipped / "model.json")
    model = onnx.load(str(shipped / "model.onnx"))
    priors = torch.tensor(manifest["priors"])
    assert (golden["input"], golden["outputs"]) == ("images", ["boxes", "logits"])
    assert golden["tolerance"] == {"atol": 1e-4, "rtol": 1e-3}
    assert len(golden["samples"]) == 4
    for sample in golden["samples"]:
        image = np.asarray(Image.open(shipped / sample["image"]).convert("RGB"))
        assert image.shape == (320, 320, 3)
        tensor = read_f32(shipped / sample["tensor"], (3, SIZE, SIZE))
        np.testing.assert_array_equal(preprocess(image[None], SIZE)[0].numpy(), tensor)
        boxes = read_f32(shipped / sample["boxes"], (PRIORS, 4))
        logits = read_f32(shipped / sample["logits"], (PRIORS, COLUMNS))
        graph_boxes, graph_logits = onnx_numpy.run(model, {"images": tensor[None]})
        np.testing.assert_allclose(graph_boxes[0], boxes, **golden["tolerance"])
        np.testing.assert_allclose(graph_logits[0], logits, **golden["tolerance"])
        found = detect(torch.from_numpy(boxes)[None], torch.from_numpy(logits)[None], priors)[0]
        expected = sample["detections"]
        assert 0 < len(expected) <= 200
        assert [d["classId"] for d in expected] == found.labels.tolist()
        assert [d["label"] for d in expected] == [manifest["labels"][c] for c in found.labels]
        np.testing.assert_allclose([d["score"] for d in expected], found.scores, rtol=1e-6)
        np.testing.assert_allclose([[d["xMin"], d["yMin"], d["xMax"], d["yMax"]]
                                    for d in expected], found.boxes, atol=1e-6)
        assert found.scores.tolist() == sorted(found.scores.tolist(), reverse=True)


def test_report_shows_map_and_ablation_and_links_small_figures(shipped):
    report = (shipped / "report.md").read_text()
    for text in ("mAP@0.5", "hard negative mining", "all negatives"):
        assert text in report
    for figure in ("pr_curves.png", "detections.png", "training_loss.png"):
        assert f"]({figure})" in report
        assert 0 < (shipped / figure).stat().st_size < 300_000
