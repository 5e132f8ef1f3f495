"""Writes a trained D-GEX as a served model version: model.onnx, model.json and golden.json."""

from pathlib import Path

import torch

from exporters.common.golden import GOLDEN_FILE, write_golden
from exporters.common.manifest import MODEL_FILE, write_manifest
from exporters.common.onnx_export import OPSET, export_with_dynamic_batch
from exporters.common.checkpoint import load_metrics
from exporters.dgex.checkpoint import load_checkpoint
from exporters.dgex.data import draw_split, landmark_ids, make_world, target_ids
from exporters.dgex.training import predict

MODEL_NAME = "dgex"
INPUT_NAME = "landmarks"
OUTPUT_NAME = "targets"
GOLDEN_SAMPLES = 4
# float32 through different kernels (torch vs ONNX Runtime) differs in the last bits of 9,520 sums.
GOLDEN_TOLERANCE = {"atol": 1e-4, "rtol": 1e-4}
PREPROCESSING = (
    "Raw log2 landmark expression in, in the order of labels.landmarks; per-gene standardisation "
    "of landmarks and de-standardisation of targets happen inside the graph, so targets come out "
    "as raw log2 expression in the order of labels.targets."
)


def export(work_dir, out_dir, version):
    """Exports the run in ``work_dir`` to ``out_dir`` as model version ``version``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    model, generator, _ = load_checkpoint(work_dir)
    metrics = load_metrics(work_dir)

    example = torch.zeros(2, generator.landmarks)
    export_with_dynamic_batch(model, example, out_dir / MODEL_FILE, INPUT_NAME, OUTPUT_NAME)

    # The first held-out test samples: never seen in training or in choosing the epoch.
    test = draw_split(make_world(generator), generator, "test", metrics["sizes"]["test"])
    golden_inputs = test.landmarks[:GOLDEN_SAMPLES]
    write_golden(
        out_dir, INPUT_NAME, OUTPUT_NAME, golden_inputs, predict(model, golden_inputs),
        **GOLDEN_TOLERANCE,
    )
    write_manifest(out_dir, manifest(generator, metrics, version))
    return out_dir


def manifest(generator, metrics, version):
    training = metrics["training"]
    return {
        "name": MODEL_NAME,
        "version": version,
        "family": MODEL_NAME,
        "inputs": [{"name": INPUT_NAME, "dtype": "float32", "shape": [-1, generator.landmarks]}],
        "outputs": [{"name": OUTPUT_NAME, "dtype": "float32", "shape": [-1, generator.targets]}],
        "preprocessing": PREPROCESSING,
        "labels": {
            INPUT_NAME: landmark_ids(generator.landmarks),
            OUTPUT_NAME: target_ids(generator.targets),
        },
        "training": {
            "samples": metrics["sizes"],
            "hidden": training["hidden"],
            "layers": training["layers"],
            "dropout": training["dropout"],
            "epochs": metrics["epochs"],
            "best_epoch": metrics["best_epoch"],
            "seed": training["seed"],
            "optimizer": "adam",
            "learning_rate": training["learning_rate"],
            "batch_size": training["batch_size"],
            "mae": metrics["mae"],
            "mae_split": "test",
            "knn_k": metrics["knn_k"],
            "data": "synthetic L1000-like (exporters/dgex/data.py)",
            "generator": metrics["generator"],
            "opset": OPSET,
        },
        "golden": GOLDEN_FILE,
    }
