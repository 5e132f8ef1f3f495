"""The work directory a training run leaves for export and report: weights and metrics.

The game config, seed and split sizes are kept with the weights, so export and report can
regenerate the held-out games instead of storing them.
"""

import json
from dataclasses import asdict
from pathlib import Path

import torch

from exporters.guesswhat.game import GameConfig
from exporters.guesswhat.training import TrainingConfig, build_models

CHECKPOINT_FILE = "checkpoint.pt"
METRICS_FILE = "metrics.json"
# The supervised QGen is kept for the report's comparison; the REINFORCE one is shipped.
MODEL_NAMES = ("oracle", "guesser", "qgen", "qgen_reinforce")


def save_run(work_dir, models, game, training, sizes, metrics):
    work_dir = Path(work_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    torch.save(
        {"state_dicts": {name: models[name].state_dict() for name in MODEL_NAMES},
         "game": asdict(game), "training": asdict(training), "sizes": dict(sizes)},
        work_dir / CHECKPOINT_FILE,
    )
    summary = {"game": asdict(game), "training": asdict(training), "sizes": dict(sizes),
               **metrics}
    (work_dir / METRICS_FILE).write_text(json.dumps(summary, indent=2) + "\n")


def load_checkpoint(work_dir):
    """{name: model in eval mode}, the TrainingConfig, the GameConfig and the split sizes."""
    checkpoint = torch.load(Path(work_dir) / CHECKPOINT_FILE)
    training = TrainingConfig(**checkpoint["training"])
    built = build_models(training)
    built["qgen_reinforce"] = build_models(training)["qgen"]
    models = {}
    for name in MODEL_NAMES:
        model = built[name]
        model.load_state_dict(checkpoint["state_dicts"][name])
        models[name] = model.eval()
    return models, training, GameConfig(**checkpoint["game"]), checkpoint["sizes"]


def load_metrics(work_dir):
    return json.loads((Path(work_dir) / METRICS_FILE).read_text())
