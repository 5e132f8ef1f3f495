"""Writes a trained Mask R-CNN as a served model version: model.onnx, model.json, golden.

The graph takes one normalised image [3, S, S] (``"batching": "none"``) and returns the detections
after torchvision's own box decoding, score threshold, per-class NMS and top-k: boxes in input
pixels, 1-based labels, scores, and one 28 x 28 soft mask per detection over its box. Pasting the
masks at the frame's resolution, thresholding at 0.5 and run-length encoding are the serving
side's, described in model.json (``postprocessing``) and pinned by the golden masks.

Opset 13: torchvision 0.14's RoiAlign symbolic shifts aligned RoIs by half a pixel itself and sets
no ``coordinate_transformation_mode``; from opset 16 ONNX Runtime would shift them again.
"""

import json
from pathlib import Path

import numpy as np
import onnx
import torch
from PIL import Image

from exporters.common.checkpoint import load_metrics, load_run
from exporters.common.golden import GOLDEN_FILE
from exporters.common.manifest import MODEL_FILE, write_manifest
from exporters.maskrcnn.data import MEAN, SCALE, STD, preprocess
from exporters.maskrcnn.model import MASK_SIZE, ExportedMaskRcnn, parameter_count
from exporters.maskrcnn.rle import encode
from exporters.maskrcnn.training import MASK_THRESHOLD, TrainingConfig, build_model, detect, paste
from exporters.shapes.scenes import CLASSES, SceneConfig, generate_split

MODEL_NAME = "maskrcnn"
INPUT_NAME = "image"
OUTPUT_NAMES = ("boxes", "labels", "scores", "masks")
OPSET = 13
GOLDEN_DIR = "golden"
GOLDEN_SAMPLES = 4
# The served default: instances below this score are not published.
SCORE_THRESHOLD = 0.5
# Float32 convolutions through different kernels (torch vs ONNX Runtime) differ in the last bits.
GOLDEN_TOLERANCE = {"atol": 1e-3, "rtol": 1e-3}

PREPROCESSING_TEXT = (
    "RGB frame, pixels 0..255 as float32, resized to height x width by bilinear interpolation "
    "with align_corners=False (half-pixel centres) and no antialiasing, stretching the whole "
    "frame; then tensor = (pixel * scale - mean[c]) / std[c]; layout CHW, no batch axis."
)
POSTPROCESSING_TEXT = (
    "The graph returns detections already decoded, score-filtered (> 0.05), class-wise NMS'd "
    "(IoU 0.5) and capped (maxInstances), highest score first. boxes[i] = (x0, y0, x1, y1) in "
    "pixels of the graph's input (boxesIn: input-pixels); labels[i] is 1-based (labelOffset 1: "
    "class id = label - 1, a name in labels); masks[i, 0] is the sigmoid mask of that label over "
    "its box, M x M (maskLayout: box). Serving: keep scores >= scoreThreshold; scale each box "
    "to frame pixels by (frameWidth / inputWidth, frameHeight / inputHeight); paste as "
    "torchvision's paste_masks_in_image(padding=1): pad the mask with one zero pixel on each "
    "side ((M+2) x (M+2)), widen the box about its centre by (M+2)/M in float32 and truncate its "
    "corners to integers toward zero, bilinearly resize (align_corners=False) the padded mask to "
    "(y1 - y0 + 1) x (x1 - x0 + 1) pixels (at least 1 x 1) and write it at (x0, y0), clipped to "
    "the frame; a pixel is on where that probability >= maskThreshold; then COCO uncompressed "
    "RLE (column-major, counts start with a run of zeros)."
)


class _Loaded:
    def __init__(self, work_dir):
        run = load_run(work_dir)
        self.training = TrainingConfig(**run["training"])
        self.scenes = SceneConfig(**run["scenes"])
        self.model = build_model(self.training)
        self.model.load_state_dict(run["weights"])
        self.model.eval()
        self.sizes = run["sizes"]


def load_model(work_dir):
    """(model in eval mode, TrainingConfig, SceneConfig, split sizes) of a trained run."""
    loaded = _Loaded(work_dir)
    return loaded.model, loaded.training, loaded.scenes, loaded.sizes


def export(work_dir, out_dir, version):
    """Exports the run in ``work_dir`` to ``out_dir`` as model version ``version``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    model, training, scenes, _ = load_model(work_dir)
    metrics = load_metrics(work_dir)
    export_onnx(model, training.input_size, out_dir / MODEL_FILE)
    golden_scenes = generate_split(scenes, training.seed, "test", GOLDEN_SAMPLES)
    write_golden_samples(out_dir, model, golden_scenes, training.input_size)
    write_manifest(out_dir, manifest(model, training, scenes, metrics, version,
                                     (out_dir / MODEL_FILE).stat().st_size))
    return out_dir


def export_onnx(model, size, path, opset=OPSET):
    """Writes the graph; the detection axis is dynamic, every other axis fixed."""
    graph = ExportedMaskRcnn(model).eval()
    example = torch.zeros(3, size, size)
    with torch.no_grad():
        torch.onnx.export(
            graph, (example,), str(path),
            input_names=[INPUT_NAME], output_names=list(OUTPUT_NAMES),
            dynamic_axes={name: {0: "detections"} for name in OUTPUT_NAMES},
            opset_version=opset, do_constant_folding=True,
        )
    onnx_model = onnx.load(str(path))
    fixed = {"boxes": [4], "labels": [], "scores": [], "masks": [1, MASK_SIZE, MASK_SIZE]}
    for value_info in onnx_model.graph.output:
        dims = list(value_info.type.tensor_type.shape.dim)
        for dim, length in zip(dims[1:], fixed[value_info.name]):
            dim.Clear()
            dim.dim_value = length
    onnx.checker.check_model(onnx_model, full_check=True)
    onnx.save(onnx_model, str(path))
    return onnx_model


def instances(found, input_size, height, width, score_threshold=SCORE_THRESHOLD):
    """The served instances of one image's raw detections: JSON dicts with normalised box and
    the RLE of the mask pasted at the frame's size."""
    boxes, masks = paste(found, input_size, height, width)
    result = []
    for i in range(len(boxes)):
        score = float(found["scores"][i])
        if score < score_threshold:
            continue
        label = int(found["labels"][i]) - 1
        x0, y0, x1, y1 = (float(v) for v in boxes[i])
        result.append({"classId": label, "label": CLASSES[label], "score": score,
                       "xMin": min(max(x0 / width, 0.0), 1.0),
                       "yMin": min(max(y0 / height, 0.0), 1.0),
                       "xMax": min(max(x1 / width, 0.0), 1.0),
                       "yMax": min(max(y1 / height, 0.0), 1.0),
                       "mask": {"height": height, "width": width, "counts": encode(masks[i])}})
    return result


def write_golden_samples(out_dir, model, scenes, size):
    """golden/<i>.png (the frame), .image.f32 (the input), the raw outputs, and golden.json with
    the served instances (mask RLEs at the frame's size) computed from the torch outputs."""
    golden_dir = out_dir / GOLDEN_DIR
    golden_dir.mkdir(exist_ok=True)
    images = np.stack([scene.image for scene in scenes])
    tensors = preprocess(images, size)
    raw = detect(model, tensors)
    samples = []
    for index, (scene, found) in enumerate(zip(scenes, raw)):
        height, width = scene.image.shape[:2]
        files = {"image": f"{GOLDEN_DIR}/{index}.png", "tensor": f"{GOLDEN_DIR}/{index}.image.f32"}
        Image.fromarray(scene.image).save(out_dir / files["image"])
        write_f32(out_dir / files["tensor"], tensors[index].numpy())
        for name in ("boxes", "scores", "masks"):
            files[name] = f"{GOLDEN_DIR}/{index}.{name}.f32"
            write_f32(out_dir / files[name], found[name].numpy())
        samples.append({**files, "labels": [int(v) for v in found["labels"]],
                        "count": len(found["scores"]),
                        "instances": instances(found, size, height, width)})
    golden = {
        "input": INPUT_NAME,
        "outputs": list(OUTPUT_NAMES),
        "samples": samples,
        "tolerance": GOLDEN_TOLERANCE,
        "scoreThreshold": SCORE_THRESHOLD,
        "maskThreshold": MASK_THRESHOLD,
        "format": "raw little-endian float32, C order: tensor [3, S, S], boxes [N, 4], "
                  "scores [N], masks [N, 1, 28, 28]; labels inline (1-based). instances: what "
                  "the pipeline publishes for the PNG frame (scores >= scoreThreshold), boxes "
                  "normalised to the frame, masks as COCO uncompressed RLE at the frame's size, "
                  "computed from these torch outputs",
    }
    (out_dir / GOLDEN_FILE).write_text(json.dumps(golden, indent=1) + "\n")


def write_f32(path, array):
    np.ascontiguousarray(array, dtype="<f4").tofile(path)


def manifest(model, training, scenes, metrics, version, model_bytes):
    size = training.input_size
    test = metrics["test"]
    ablation = metrics["ablation"]
    return {
        "name": MODEL_NAME,
        "version": version,
        "family": MODEL_NAME,
        "batching": "none",
        "inputs": [{"name": INPUT_NAME, "dtype": "float32", "shape": [3, size, size]}],
        "outputs": [
            {"name": "boxes", "dtype": "float32", "shape": [-1, 4]},
            {"name": "labels", "dtype": "int64", "shape": [-1]},
            {"name": "scores", "dtype": "float32", "shape": [-1]},
            {"name": "masks", "dtype": "float32", "shape": [-1, 1, MASK_SIZE, MASK_SIZE]},
        ],
        "preprocessing": {
            "width": size, "height": size, "channels": "RGB", "layout": "NCHW",
            "resize": "bilinear-stretch", "scale": SCALE, "mean": list(MEAN), "std": list(STD),
            "description": PREPROCESSING_TEXT,
        },
        "labels": list(CLASSES),
        "postprocessing": {
            "boxesIn": "input-pixels",
            "labelOffset": 1,
            "maskLayout": "box",
            "maskPadding": 1,
            "scoreThreshold": SCORE_THRESHOLD,
            "maskThreshold": MASK_THRESHOLD,
            "maxInstances": training.detections_per_image,
            "description": POSTPROCESSING_TEXT,
        },
        "training": {
            "data": "synthetic shapes scenes (exporters/shapes/scenes.py)",
            "scenes": metrics["scenes"],
            "samples": metrics["sizes"],
            "config": metrics["training"],
            "parameters": parameter_count(model),
            "model_bytes": model_bytes,
            "training_seconds": metrics["training_seconds"],
            "ap_split": "test",
            "box": _ap(test["box"]),
            "mask": _ap(test["mask"]),
            "ablation": {
                "claim": "RoIAlign vs RoIPool in both heads (the paper's Table 2c)",
                "steps": ablation["steps"],
                "mask_AP": {name: v["test"]["mask"]["AP"] for name, v in ablation["variants"].items()},
                "mask_AP50": {name: v["test"]["mask"]["AP50"]
                              for name, v in ablation["variants"].items()},
                "box_AP": {name: v["test"]["box"]["AP"] for name, v in ablation["variants"].items()},
            },
            "opset": OPSET,
        },
        "golden": GOLDEN_FILE,
    }


def _ap(result):
    return {"AP": result["AP"], "AP50": result["AP50"], "AP75": result["AP75"],
            "AP_per_class": dict(zip(CLASSES, result["AP_per_class"])),
            "AP50_per_class": dict(zip(CLASSES, result["AP50_per_class"]))}
