"""Writes a trained SSD as a served model version: model.onnx, model.json, golden.json, golden/.

The graph holds only the network: raw box regressions and raw class logits. Prior decoding,
softmax, thresholds and NMS are the serving side's job, described in model.json (``priors``,
``variances``, ``postprocessing``) and pinned by the golden detections.
"""

import json
import time
from pathlib import Path

import numpy as np
import onnx
import torch
from PIL import Image

from exporters.common.golden import GOLDEN_FILE
from exporters.common.manifest import MODEL_FILE, write_manifest
from exporters.common.onnx_export import BATCH_AXIS, OPSET
from exporters.shapes.scenes import CLASSES, generate_split
from exporters.ssd import onnx_numpy
from exporters.ssd.boxes import VARIANCES, make_priors
from exporters.common.checkpoint import load_metrics
from exporters.ssd.checkpoint import load_checkpoint
from exporters.ssd.data import MEAN, SCALE, STD, preprocess
from exporters.ssd.decoding import (
    NMS_IOU_THRESHOLD,
    OUTPUT_THRESHOLD,
    SCORE_THRESHOLD,
    TOP_K,
    detect,
)

MODEL_NAME = "ssd"
INPUT_NAME = "images"
OUTPUT_NAMES = ("boxes", "logits")
GOLDEN_DIR = "golden"
GOLDEN_SAMPLES = 4
# Conv sums in float32 through different kernels (torch vs ONNX Runtime) differ in the last bits.
GOLDEN_TOLERANCE = {"atol": 1e-4, "rtol": 1e-3}
TIMING_BATCHES = (1, 8)

PREPROCESSING_TEXT = (
    "RGB frame, pixels 0..255 as float32, resized to height x width by bilinear interpolation "
    "with align_corners=False (half-pixel centres) and no antialiasing, stretching the whole "
    "frame (no letterbox); then tensor = (pixel * scale - mean[c]) / std[c]; layout NCHW."
)
POSTPROCESSING_TEXT = (
    "Per prior i with (pcx, pcy, pw, ph) = priors[i] and (dx, dy, dw, dh) = boxes[i]: "
    "cx = pcx + dx * variances[0] * pw, cy = pcy + dy * variances[0] * ph, "
    "w = pw * exp(dw * variances[1]), h = ph * exp(dh * variances[1]); "
    "corners (cx - w/2, cy - h/2, cx + w/2, cy + h/2) clipped to [0, 1], normalised to the frame. "
    "scores = softmax(logits[i]) over 1 + len(labels) columns, column 0 = background, column "
    "c >= 1 = labels[c - 1]. For each class: keep scores > scoreThreshold, sort by score "
    "descending (ties: lower prior index first), greedy NMS dropping boxes with IoU > "
    "nmsIouThreshold (continuous areas) to a kept box of the same class. Then all classes' "
    "survivors by score descending (ties: lower class, then lower prior index), first topK. "
    "outputThreshold: the minimum score worth publishing downstream (evaluation uses "
    "scoreThreshold)."
)


class _Heads(torch.nn.Module):
    """The network alone, returning the (boxes, logits) tuple under the exported names."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, images):
        return self.model(images)


def export(work_dir, out_dir, version):
    """Exports the run in ``work_dir`` to ``out_dir`` as model version ``version``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    model, training, scenes = load_checkpoint(work_dir)
    metrics = load_metrics(work_dir)
    size = training.input_size

    onnx_model = export_onnx(model, size, out_dir / MODEL_FILE)
    priors = make_priors(model.priors)
    golden_scenes = generate_split(scenes, training.seed, "test", GOLDEN_SAMPLES)
    write_golden_samples(out_dir, model, onnx_model, priors, golden_scenes, size)
    timings = time_forward(model, size)
    write_manifest(out_dir, manifest(model, training, scenes, metrics, version, priors, timings,
                                     (out_dir / MODEL_FILE).stat().st_size))
    return out_dir


def export_onnx(model, size, path, opset=OPSET):
    """Writes ``model`` with input ``images`` and outputs ``boxes``, ``logits``, batch dynamic.

    The outputs' prior and column axes are declared static (torch names them symbolically).
    """
    # The exporter restores the wrapper's train/eval mode afterwards, recursively: the wrapper
    # must be in eval mode too, or BatchNorm would be left in training mode.
    heads = _Heads(model).eval()
    example = torch.zeros(2, 3, size, size)
    with torch.no_grad():
        outputs = heads(example)
        torch.onnx.export(
            heads, (example,), str(path),
            input_names=[INPUT_NAME], output_names=list(OUTPUT_NAMES),
            dynamic_axes={name: {0: BATCH_AXIS} for name in (INPUT_NAME, *OUTPUT_NAMES)},
            opset_version=opset, do_constant_folding=True,
        )
    onnx_model = onnx.load(str(path))
    for value_info, output in zip(onnx_model.graph.output, outputs):
        dims = value_info.type.tensor_type.shape.dim
        for dim, length in zip(list(dims)[1:], output.shape[1:]):
            dim.Clear()
            dim.dim_value = int(length)
    onnx.checker.check_model(onnx_model, full_check=True)
    onnx.save(onnx_model, str(path))
    return onnx_model


def write_golden_samples(out_dir, model, onnx_model, priors, scenes, size):
    """golden/<i>.png, .images.f32, .boxes.f32, .logits.f32 and golden.json.

    The raw outputs are the torch module's; the written ONNX graph is run on the same tensors
    (NumPy evaluator) and must agree within the golden tolerance, or export fails.
    """
    golden_dir = out_dir / GOLDEN_DIR
    golden_dir.mkdir(exist_ok=True)
    images = np.stack([scene.image for scene in scenes])
    tensors = preprocess(images, size)
    with torch.no_grad():
        boxes, logits = model(tensors)
    graph_boxes, graph_logits = onnx_numpy.run(onnx_model, {INPUT_NAME: tensors.numpy()})
    for torch_out, graph_out in ((boxes, graph_boxes), (logits, graph_logits)):
        np.testing.assert_allclose(graph_out, torch_out.numpy(), **GOLDEN_TOLERANCE)
    detections = detect(boxes, logits, priors)

    samples = []
    for index, scene in enumerate(scenes):
        files = {"image": f"{GOLDEN_DIR}/{index}.png"}
        Image.fromarray(scene.image).save(out_dir / files["image"])
        for name, tensor in ((INPUT_NAME, tensors), ("boxes", boxes), ("logits", logits)):
            key = "tensor" if name == INPUT_NAME else name
            files[key] = f"{GOLDEN_DIR}/{index}.{name}.f32"
            write_f32(out_dir / files[key], tensor[index].numpy())
        samples.append({**files, "detections": detections_json(detections[index])})
    golden = {
        "input": INPUT_NAME,
        "outputs": list(OUTPUT_NAMES),
        "samples": samples,
        "tolerance": GOLDEN_TOLERANCE,
        "format": "raw little-endian float32, C order, the tensor without the batch axis: "
                  f"tensor [3, {size}, {size}], boxes [P, 4], logits [P, {1 + len(CLASSES)}]",
        "preprocessing": "tensor = preprocessing of image as model.json states: the PNG's RGB "
                         "pixels as float32 0..255, torch.nn.functional.interpolate(size=("
                         f"{size}, {size}), mode='bilinear', align_corners=False) on the float "
                         "image, then (pixel * scale - mean[c]) / std[c]",
        "decoding": {"scoreThreshold": SCORE_THRESHOLD, "nmsIouThreshold": NMS_IOU_THRESHOLD,
                     "topK": TOP_K, "appliedTo": "the golden boxes/logits files (torch outputs)"},
    }
    (out_dir / GOLDEN_FILE).write_text(json.dumps(golden, indent=1) + "\n")


def write_f32(path, array):
    np.ascontiguousarray(array, dtype="<f4").tofile(path)


def read_f32(path, shape):
    return np.fromfile(path, dtype="<f4").reshape(shape)


def detections_json(found):
    return [
        {"classId": int(label), "label": CLASSES[label], "score": float(score),
         "xMin": float(box[0]), "yMin": float(box[1]), "xMax": float(box[2]),
         "yMax": float(box[3])}
        for box, score, label in zip(found.boxes, found.scores, found.labels)
    ]


def time_forward(model, size, repeats=20):
    """Median milliseconds per batch and per image of the exported module's torch forward."""
    timings = {}
    model.eval()
    with torch.no_grad():
        for batch in TIMING_BATCHES:
            inputs = torch.zeros(batch, 3, size, size)
            for _ in range(3):
                model(inputs)
            runs = []
            for _ in range(repeats):
                started = time.perf_counter()
                model(inputs)
                runs.append(time.perf_counter() - started)
            per_batch = 1000.0 * float(np.median(runs))
            timings[str(batch)] = {"ms_per_batch": round(per_batch, 3),
                                   "ms_per_image": round(per_batch / batch, 3)}
    return {"threads": torch.get_num_threads(), "batch": timings}


def manifest(model, training, scenes, metrics, version, priors, timings, model_bytes):
    size = training.input_size
    count = len(priors)
    columns = 1 + len(CLASSES)
    ablation = metrics["ablation"]
    return {
        "name": MODEL_NAME,
        "version": version,
        "family": MODEL_NAME,
        "inputs": [{"name": INPUT_NAME, "dtype": "float32", "shape": [-1, 3, size, size]}],
        "outputs": [
            {"name": "boxes", "dtype": "float32", "shape": [-1, count, 4]},
            {"name": "logits", "dtype": "float32", "shape": [-1, count, columns]},
        ],
        "preprocessing": {
            "width": size, "height": size, "channels": "RGB", "layout": "NCHW",
            "resize": "bilinear-stretch", "scale": SCALE, "mean": list(MEAN), "std": list(STD),
            "description": PREPROCESSING_TEXT,
        },
        "labels": list(CLASSES),
        "priors": [[float(v) for v in row] for row in priors.tolist()],
        "variances": list(VARIANCES),
        "postprocessing": {
            "scoreThreshold": SCORE_THRESHOLD, "nmsIouThreshold": NMS_IOU_THRESHOLD,
            "topK": TOP_K, "outputThreshold": OUTPUT_THRESHOLD,
            "description": POSTPROCESSING_TEXT,
        },
        "training": {
            "data": "synthetic shapes scenes (exporters/shapes/scenes.py)",
            "scenes": metrics["scenes"],
            "samples": metrics["sizes"],
            "seed": training.seed,
            "input_size": size,
            "width": training.width,
            "feature_maps": list(model.priors.feature_maps),
            "prior_scales": list(model.priors.scales),
            "priors_per_location": model.priors.per_location,
            "prior_count": count,
            "parameters": sum(p.numel() for p in model.parameters()),
            "model_bytes": model_bytes,
            "steps": training.steps,
            "epochs": round(training.steps * training.batch_size / metrics["sizes"]["train"], 2),
            "batch_size": training.batch_size,
            "optimizer": "adamw",
            "learning_rate": training.learning_rate,
            "weight_decay": training.weight_decay,
            "negatives_per_positive": training.negatives_per_positive,
            "augment": training.augment,
            "training_seconds": metrics["training_seconds"],
            "map_iou": 0.5,
            "map_split": "test",
            "mAP": metrics["test"]["mAP"],
            "AP": dict(zip(CLASSES, metrics["test"]["AP"])),
            "validation_mAP": metrics["validation"]["mAP"],
            "ablation": {
                "claim": "hard negative mining (3:1) vs every negative in the confidence loss",
                "steps": ablation["steps"],
                "mAP": {name: variant["test"]["mAP"]
                        for name, variant in ablation["variants"].items()},
                "training_seconds": {name: variant["training_seconds"]
                                     for name, variant in ablation["variants"].items()},
            },
            "torch_forward": timings,
            "opset": OPSET,
        },
        "golden": GOLDEN_FILE,
    }
