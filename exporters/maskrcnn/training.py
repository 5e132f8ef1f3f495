"""Training a Mask R-CNN on the shapes scenes, and scoring it with COCO-style box and mask AP."""

import math
import time
from dataclasses import asdict, dataclass

import numpy as np
import torch
from torchvision.models.detection.image_list import ImageList
from torchvision.models.detection.roi_heads import paste_masks_in_image

from exporters.common.checkpoint import load_run
from exporters.common.seeding import seed_everything
from exporters.maskrcnn.evaluation import coco_ap
from exporters.maskrcnn.model import NUM_CLASSES, build_mask_rcnn
from exporters.maskrcnn.data import load_split, targets

# Images per forward pass when predicting: bounds memory, not results.
PREDICT_BATCH = 16
# A pasted mask pixel is on when its probability is at least this (the paper's binarisation).
MASK_THRESHOLD = 0.5


@dataclass(frozen=True)
class TrainingConfig:
    input_size: int = 96
    width: int = 48
    steps: int = 1000
    batch_size: int = 8
    learning_rate: float = 2e-3
    warmup_steps: int = 100
    clip_norm: float = 10.0
    pooler: str = "align"
    detections_per_image: int = 20
    seed: int = 0
    # Warm start: the work directory of an earlier run whose weights training starts from.
    init_from: str = ""


def build_model(config):
    return build_mask_rcnn(config.input_size, width=config.width, pooler=config.pooler,
                           detections_per_image=config.detections_per_image)


def train_mask_rcnn(train, config, on_progress=lambda step, losses: None, progress_every=50):
    """Adam, linear warm-up then cosine decay, horizontal flips; returns (model, loss history)."""
    seed_everything(config.seed)
    model = build_model(config)
    if config.init_from:
        model.load_state_dict(load_run(config.init_from)["weights"])
    optimiser = torch.optim.Adam(model.parameters(), lr=config.learning_rate)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda step: _rate(step, config))
    rng = np.random.default_rng([config.seed, 11])
    history, window = [], []
    model.train()
    for step in range(1, config.steps + 1):
        indices = rng.choice(len(train), config.batch_size, replace=False)
        images, found = targets(train, indices, config.input_size,
                                flip=rng.random(config.batch_size) < 0.5)
        losses = model(images, found)
        total = sum(losses.values())
        optimiser.zero_grad()
        total.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), config.clip_norm)
        optimiser.step()
        schedule.step()
        window.append({"total": total.item(), **{k: v.item() for k, v in losses.items()}})
        if step % progress_every == 0 or step == config.steps:
            mean = {key: float(np.mean([w[key] for w in window])) for key in window[0]}
            history.append({"step": step, **mean})
            on_progress(step, mean)
            window = []
    model.eval()
    return model, history


def detect(model, inputs):
    """Raw detections per normalised input (what the exported graph returns, batched here):
    boxes [N, 4] in input pixels, labels [N] 1-based, scores [N], masks [N, 1, 28, 28]."""
    model.eval()
    found = []
    with torch.no_grad():
        for start in range(0, len(inputs), PREDICT_BATCH):
            images = inputs[start : start + PREDICT_BATCH]
            sizes = [tuple(images.shape[-2:])] * len(images)
            features = model.backbone(images)
            proposals, _ = model.rpn(ImageList(images, sizes), features)
            detections, _ = model.roi_heads(features, proposals, sizes)
            found += detections
    return found


def paste(found, input_size, height, width):
    """Masks of one image's raw detections pasted at the frame's size, as the Java side does:
    boxes scaled from input to frame pixels, torchvision's ``paste_masks_in_image`` (each 28 x 28
    mask bilinearly resized into its box, expanded by one mask pixel on each side), then
    probability >= 0.5. Returns (frame-pixel boxes, bool masks N x H x W)."""
    scale = torch.tensor([width / input_size, height / input_size] * 2, dtype=torch.float32)
    boxes = found["boxes"] * scale
    if len(boxes) == 0:
        return boxes, np.zeros((0, height, width), dtype=bool)
    probabilities = paste_masks_in_image(found["masks"], boxes, (height, width), padding=1)
    return boxes, (probabilities[:, 0] >= MASK_THRESHOLD).numpy()


def evaluate(model, dataset, config, frame_size):
    """Box AP (normalised boxes) and mask AP (masks pasted at the frame's size)."""
    raw = detect(model, dataset.inputs)
    predictions, truths = [], []
    for index, found in enumerate(raw):
        boxes, masks = paste(found, config.input_size, frame_size, frame_size)
        predictions.append({"boxes": boxes.numpy() / frame_size, "masks": masks,
                            "labels": found["labels"].numpy() - 1,
                            "scores": found["scores"].numpy()})
        truths.append({"boxes": dataset.boxes[index], "labels": dataset.labels[index],
                       "masks": dataset.frame_masks[index]})
    return {"box": coco_ap(predictions, truths, NUM_CLASSES - 1, "box"),
            "mask": coco_ap(predictions, truths, NUM_CLASSES - 1, "mask")}, predictions


def train_and_evaluate(train, evaluation_sets, config, frame_size,
                       on_progress=lambda step, losses: None):
    """Trains, then scores on each named dataset; returns (model, metrics)."""
    started = time.monotonic()
    model, history = train_mask_rcnn(train, config, on_progress)
    seconds = time.monotonic() - started
    metrics = {"training_seconds": round(seconds, 1), "loss_history": history,
               "config": asdict(config)}
    for name, dataset in evaluation_sets.items():
        metrics[name], _ = evaluate(model, dataset, config, frame_size)
    return model, metrics


def train_variant(name, config, scenes, sizes, threads):
    """Trains and tests one named variant in this process (a pool worker when run at once)."""
    torch.set_num_threads(max(threads, 1))
    started = time.monotonic()
    train_set = load_split(scenes, config.seed, "train", sizes["train"], config.input_size)
    test_set = load_split(scenes, config.seed, "test", sizes["test"], config.input_size,
                          keep_frames=True)
    print(f"[{name}] generated {sizes} scenes in {time.monotonic() - started:.1f} s", flush=True)

    def progress(step, losses):
        print(f"[{name}] step {step}: loss {losses['total']:.3f} (" + ", ".join(
            f"{key[5:]} {value:.3f}" for key, value in losses.items() if key != "total") + ")",
            flush=True)

    model, metrics = train_and_evaluate(train_set, {"test": test_set}, config, scenes.width,
                                       progress)
    test = metrics["test"]
    print(f"[{name}] test mask AP {test['mask']['AP']:.4f} AP50 {test['mask']['AP50']:.4f}, "
          f"box AP {test['box']['AP']:.4f} AP50 {test['box']['AP50']:.4f}, "
          f"{metrics['training_seconds']} s", flush=True)
    return name, model.state_dict(), metrics


def _rate(step, config):
    """Multiplier of the learning rate: linear warm-up, then cosine decay to 1% at the end."""
    if step < config.warmup_steps:
        return (step + 1) / config.warmup_steps
    progress = (step - config.warmup_steps) / max(config.steps - config.warmup_steps, 1)
    return 0.01 + 0.99 * 0.5 * (1 + math.cos(math.pi * min(progress, 1.0)))
