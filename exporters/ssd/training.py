"""Training an SSD on augmented scenes, and scoring it with the paper's decoding and VOC mAP@0.5."""

import math
import time
from dataclasses import dataclass

import numpy as np
import torch

from exporters.common.seeding import seed_everything
from exporters.ssd.boxes import PriorConfig, make_priors
from exporters.ssd.data import augmented_batch, preprocess
from exporters.ssd.decoding import detect
from exporters.ssd.loss import NEGATIVES_PER_POSITIVE, match_batch, multibox_loss
from exporters.ssd.metrics import mean_average_precision
from exporters.ssd.model import NUM_CLASSES, SSD

# Images per forward pass when predicting: bounds memory, not results.
PREDICT_BATCH = 64


@dataclass(frozen=True)
class TrainingConfig:
    input_size: int = 160
    width: int = 32
    steps: int = 4000
    batch_size: int = 32
    learning_rate: float = 3e-3
    weight_decay: float = 5e-4
    warmup_steps: int = 200
    # None: every negative counts (the ablation of the paper's hard negative mining).
    negatives_per_positive: object = NEGATIVES_PER_POSITIVE
    augment: bool = True
    seed: int = 0


def build_model(config):
    return SSD(width=config.width, num_classes=NUM_CLASSES, priors=PriorConfig())


def train_ssd(train, config, on_progress=lambda step, losses: None, progress_every=100):
    """AdamW with linear warm-up then cosine decay for ``config.steps`` batches.

    Returns the model in eval mode and the mean losses of every ``progress_every`` steps.
    """
    seed_everything(config.seed)
    model = build_model(config)
    priors = make_priors(model.priors)
    optimiser = torch.optim.AdamW(model.parameters(), lr=config.learning_rate,
                                  weight_decay=config.weight_decay)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda step: _rate(step, config))
    rng = np.random.default_rng([config.seed, 11])
    history, window = [], []
    model.train()
    for step in range(1, config.steps + 1):
        indices = rng.choice(len(train), config.batch_size, replace=False)
        if config.augment:
            inputs, boxes, labels = augmented_batch(train, indices, config.input_size, rng)
        else:
            inputs = preprocess(train.images[indices], config.input_size)
            boxes = [torch.as_tensor(train.boxes[i]) for i in indices]
            labels = [torch.as_tensor(train.labels[i]) for i in indices]
        classes, targets = match_batch(boxes, labels, priors)
        predicted_boxes, logits = model(inputs)
        total, confidence, localisation = multibox_loss(
            predicted_boxes, logits, classes, targets, config.negatives_per_positive)
        optimiser.zero_grad()
        total.backward()
        optimiser.step()
        schedule.step()
        window.append((total.item(), confidence.item(), localisation.item()))
        if step % progress_every == 0 or step == config.steps:
            mean = np.mean(window, axis=0)
            losses = {"step": step, "total": float(mean[0]), "confidence": float(mean[1]),
                      "localisation": float(mean[2])}
            history.append(losses)
            on_progress(step, losses)
            window = []
    model.eval()
    return model, history


def predict(model, images, input_size):
    """Raw heads (boxes, logits) for uint8 frames, through the served preprocessing."""
    model.eval()
    boxes, logits = [], []
    with torch.no_grad():
        for start in range(0, len(images), PREDICT_BATCH):
            b, l = model(preprocess(images[start : start + PREDICT_BATCH], input_size))
            boxes.append(b)
            logits.append(l)
    return torch.cat(boxes), torch.cat(logits)


def evaluate(model, dataset, input_size):
    """mAP@0.5, AP per class and the detections, with the paper's decoding settings."""
    boxes, logits = predict(model, dataset.images, input_size)
    detections = detect(boxes, logits, make_priors(model.priors))
    mean_ap, per_class = mean_average_precision(detections, dataset.truths(), NUM_CLASSES)
    return mean_ap, per_class, detections


def train_and_evaluate(train, evaluation_sets, config, on_progress=lambda step, losses: None):
    """Trains, then scores on each named dataset; returns (model, metrics)."""
    started = time.monotonic()
    model, history = train_ssd(train, config, on_progress)
    seconds = time.monotonic() - started
    metrics = {"training_seconds": round(seconds, 1), "loss_history": history}
    for name, dataset in evaluation_sets.items():
        mean_ap, per_class, _ = evaluate(model, dataset, config.input_size)
        metrics[name] = {"mAP": mean_ap, "AP": per_class}
    return model, metrics


def _rate(step, config):
    """Multiplier of the learning rate: linear warm-up, then cosine decay to 1% at the end."""
    if step < config.warmup_steps:
        return (step + 1) / config.warmup_steps
    progress = (step - config.warmup_steps) / max(config.steps - config.warmup_steps, 1)
    return 0.01 + 0.99 * 0.5 * (1 + math.cos(math.pi * min(progress, 1.0)))
