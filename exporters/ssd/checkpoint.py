"""The work directory a training run leaves for export and report: weights and metrics.

The scene generator config and split sizes are kept with the weights, so export and report can
regenerate the held-out test split instead of storing images.
"""

import json
from dataclasses import asdict
from pathlib import Path

import torch

from exporters.shapes.scenes import SceneConfig
from exporters.ssd.training import TrainingConfig, build_model

CHECKPOINT_FILE = "checkpoint.pt"
METRICS_FILE = "metrics.json"


def save_run(work_dir, model, scenes, training, sizes, metrics):
    work_dir = Path(work_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    torch.save(
        {"state_dict": model.state_dict(), "scenes": asdict(scenes),
         "training": asdict(training), "sizes": dict(sizes)},
        work_dir / CHECKPOINT_FILE,
    )
    summary = {"scenes": asdict(scenes), "training": asdict(training), "sizes": dict(sizes),
               **metrics}
    (work_dir / METRICS_FILE).write_text(json.dumps(summary, indent=2) + "\n")


def load_checkpoint(work_dir):
    """The trained model in eval mode, its TrainingConfig and the scenes' SceneConfig."""
    checkpoint = torch.load(Path(work_dir) / CHECKPOINT_FILE)
    training = TrainingConfig(**checkpoint["training"])
    model = build_model(training)
    model.load_state_dict(checkpoint["state_dict"])
    model.eval()
    return model, training, SceneConfig(**checkpoint["scenes"])


def load_metrics(work_dir):
    return json.loads((Path(work_dir) / METRICS_FILE).read_text())
