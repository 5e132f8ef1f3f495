"""report.md and figures: box and mask AP on the test split, the RoIAlign vs RoIPool ablation,
the training losses, and test frames with their served masks drawn."""

import json
from pathlib import Path

import numpy as np

from exporters.common.checkpoint import load_metrics
from exporters.common.manifest import MANIFEST_FILE
from exporters.common.report import markdown_table, new_figure, save_figure
from exporters.maskrcnn.data import preprocess
from exporters.maskrcnn.export import SCORE_THRESHOLD, load_model
from exporters.maskrcnn.training import detect, paste
from exporters.shapes.scenes import CLASSES, generate_split

REPORT_FILE = "report.md"
SAMPLES_FIGURE = "samples.png"
LOSS_FIGURE = "training_loss.png"
DRAWN_SCENES = 4
VARIANT_NAMES = {"align": "RoIAlign (paper, shipped)", "pool": "RoIPool"}
COLOURS = np.array([[228, 26, 28], [55, 126, 184], [77, 175, 74], [152, 78, 163],
                    [255, 127, 0], [166, 86, 40], [247, 129, 191], [255, 255, 51]], dtype=float)


def write_report(work_dir, out_dir):
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    model, training, scenes, _ = load_model(work_dir)
    metrics = load_metrics(work_dir)
    drawn = generate_split(scenes, training.seed, "test", DRAWN_SCENES)
    _plot_samples(model, drawn, training.input_size, out_dir / SAMPLES_FIGURE)
    _plot_loss(metrics, out_dir / LOSS_FIGURE)
    manifest_path = out_dir / MANIFEST_FILE
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else None
    path = out_dir / REPORT_FILE
    path.write_text(report_text(metrics, manifest))
    return path


def _fmt(value):
    return "n/a" if value is None else f"{value:.4f}"


def report_text(metrics, manifest):
    training = metrics["training"]
    sizes = metrics["sizes"]
    scenes = metrics["scenes"]
    test = metrics["test"]
    rows = []
    for kind in ("box", "mask"):
        result = test[kind]
        for index, name in enumerate(CLASSES):
            rows.append([kind, name, _fmt(result["AP_per_class"][index]),
                         _fmt(result["AP50_per_class"][index]),
                         _fmt(result["AP75_per_class"][index])])
        rows.append([kind, "**mean**", f"**{result['AP']:.4f}**", f"**{result['AP50']:.4f}**",
                     f"**{result['AP75']:.4f}**"])
    ablation = metrics["ablation"]
    ablation_rows = []
    for name, variant in ablation["variants"].items():
        ablation_rows.append([VARIANT_NAMES.get(name, name), _fmt(variant["test"]["mask"]["AP"]),
                              _fmt(variant["test"]["mask"]["AP50"]),
                              _fmt(variant["test"]["mask"]["AP75"]),
                              _fmt(variant["test"]["box"]["AP"]),
                              _fmt(variant["test"]["box"]["AP50"]), variant["training_seconds"]])
    bar = "met" if test["mask"]["AP50"] >= 0.8 else "NOT met"
    size_line = ""
    if manifest is not None:
        size_line = (f"- ONNX graph: {manifest['training']['model_bytes'] / 1e6:.2f} MB, opset "
                     f"{manifest['training']['opset']}, "
                     f"{manifest['training']['parameters']:,} parameters.\n")
    return f"""# Mask R-CNN on the shapes scenes

Trained by `python3 -m exporters.maskrcnn all --out models/maskrcnn/1` (this report is its last
step). Data: seeded synthetic scenes (`exporters/shapes/scenes.py`), {scenes['width']} x
{scenes['height']} frames with {scenes['min_shapes']}..{scenes['max_shapes']} circles, squares and
triangles, each keeping at least {scenes['min_visible']:.0%} of its area visible under the ones drawn
over it (heavy overlaps: the visible masks are what is scored); {sizes['train']} training and
{sizes['test']} held-out test scenes. Network input {training['input_size']} x
{training['input_size']} (the frame is stretched to it, as served); masks are pasted back and
scored at the frame's {scenes['width']} x {scenes['height']}.

Model (torchvision 0.14 building blocks): a 6-layer convolutional backbone (width
{training['width']}, one stride-4 map), RPN with anchors 8..64 px, RoIAlign (7 x 7 box, 14 x 14
mask), a 2-layer MLP box head and a small convolutional mask head predicting one 28 x 28 mask per
class; loss L = L_cls + L_box + L_mask, L_mask the per-pixel sigmoid BCE of the ground-truth
class's mask only. Adam with warm-up and cosine decay, batches of {training['batch_size']} frames,
horizontal flips; {_schedule(metrics)}
{size_line}
## Test split: COCO-style AP

AP = mean over IoU 0.50:0.05:0.95 of the 101-point interpolated precision (`evaluation.py`);
all detections of the graph (score > 0.05, at most {training['detections_per_image']} per frame)
count. Mask IoU is between the served mask (pasted at the frame's size, >= 0.5) and the visible
ground-truth mask.

{markdown_table(["kind", "class", "AP@[.5:.95]", "AP@0.5", "AP@0.75"], rows)}
The bar (mask AP@0.5 >= 0.8 on the test split) is **{bar}**: {test['mask']['AP50']:.4f}.

## Ablation: RoIAlign vs RoIPool (the paper's Table 2c)

The same model, data, seed and {ablation['steps']} steps, with RoIPool (quantised bins, max
pooling) in both heads instead of RoIAlign (bilinear sampling, no quantisation), trained at the
same time, one CPU thread each{" (the RoIAlign row is the shipped model's first stage)" if "warm_start" in metrics else ""}.

{markdown_table(["pooling", "mask AP", "mask AP@0.5", "mask AP@0.75", "box AP", "box AP@0.5",
                 "training s"], ablation_rows)}
## Figures

![test frames with served masks]({SAMPLES_FIGURE})

The first {DRAWN_SCENES} test frames, instances with score >= {SCORE_THRESHOLD}: masks as served
(pasted at the frame's size, thresholded at 0.5), box and class with score.

![training losses]({LOSS_FIGURE})
"""


def _schedule(metrics):
    training = metrics["training"]
    stage = (f"{training['steps']} steps at lr {training['learning_rate']}, "
             f"{metrics['training_seconds']} s")
    warm = metrics.get("warm_start")
    if warm is None:
        return stage + " on 1 CPU thread (the ablation trained at the same time on the other)."
    first = warm["test"]["mask"]
    return (f"two stages: {warm['steps']} steps at lr {warm['learning_rate']} "
            f"({warm['training_seconds']} s on 1 CPU thread, beside the ablation; test mask AP "
            f"{first['AP']:.4f}, AP@0.5 {first['AP50']:.4f} after it), then {stage} on 2 threads, "
            f"warm-started from its weights with a fresh warm-up and cosine schedule.")


def _plot_samples(model, scenes, input_size, path):
    import matplotlib.pyplot as plt

    raw = detect(model, preprocess(np.stack([s.image for s in scenes]), input_size))
    figure, axes = plt.subplots(1, len(scenes), figsize=(2.4 * len(scenes), 2.6), dpi=80)
    for axis, scene, found in zip(np.atleast_1d(axes), scenes, raw):
        height, width = scene.image.shape[:2]
        boxes, masks = paste(found, input_size, height, width)
        canvas = scene.image.astype(float)
        keep = [i for i in range(len(boxes)) if float(found["scores"][i]) >= SCORE_THRESHOLD]
        for rank, i in enumerate(keep):
            colour = COLOURS[rank % len(COLOURS)]
            canvas[masks[i]] = 0.45 * canvas[masks[i]] + 0.55 * colour
        axis.imshow(canvas.astype(np.uint8))
        for rank, i in enumerate(keep):
            x0, y0, x1, y1 = (float(v) for v in boxes[i])
            colour = COLOURS[rank % len(COLOURS)] / 255
            axis.add_patch(plt.Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, lw=1,
                                         edgecolor=colour))
            axis.text(x0, y0 - 2, f"{CLASSES[int(found['labels'][i]) - 1]} "
                      f"{float(found['scores'][i]):.2f}", color=colour, fontsize=6)
        axis.set_axis_off()
    save_figure(figure, path)


def _plot_loss(metrics, path):
    figure, axis = new_figure()
    history = metrics["loss_history"]
    steps = [h["step"] for h in history]
    for key in history[0]:
        if key != "step":
            axis.plot(steps, [h[key] for h in history], label=key.replace("loss_", ""))
    axis.set_yscale("log")
    axis.set_xlabel("step")
    axis.set_ylabel("mean loss over 50 steps")
    axis.legend(fontsize=7)
    save_figure(figure, path)
