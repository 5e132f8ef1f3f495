"""The work directory every trainer leaves for its export and report steps.

``checkpoint.pt`` holds the weights, the run's configs (dataclasses, by name) and split sizes, so
export and report can rebuild the models and regenerate held-out data instead of storing it;
``metrics.json`` holds the same configs and sizes with the training metrics, readable.
"""

import json
from dataclasses import asdict
from pathlib import Path

import torch

CHECKPOINT_FILE = "checkpoint.pt"
METRICS_FILE = "metrics.json"


def save_run(work_dir, weights, configs, sizes, metrics):
    """``weights``: a state dict, or a dict of them; returns the work directory as a Path."""
    work_dir = Path(work_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    described = {name: asdict(config) for name, config in configs.items()}
    torch.save({"weights": weights, **described, "sizes": dict(sizes)},
               work_dir / CHECKPOINT_FILE)
    summary = {**described, "sizes": dict(sizes), **metrics}
    (work_dir / METRICS_FILE).write_text(json.dumps(summary, indent=2) + "\n")
    return work_dir


def load_run(work_dir):
    """The saved dict: ``weights``, each config as a dict under its name, ``sizes``."""
    return torch.load(Path(work_dir) / CHECKPOINT_FILE)


def load_metrics(work_dir):
    return json.loads((Path(work_dir) / METRICS_FILE).read_text())
