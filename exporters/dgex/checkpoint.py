"""The work directory a training run leaves for export and report: weights, metrics, errors.

Everything export needs is here, including the generator config, so export can regenerate the
held-out test split for its golden pairs instead of storing data.
"""

import json
from dataclasses import asdict
from pathlib import Path

import numpy as np
import torch

from exporters.dgex.data import GeneratorConfig
from exporters.dgex.model import DGEX, RawScaleDGEX, Standardiser

CHECKPOINT_FILE = "checkpoint.pt"
METRICS_FILE = "metrics.json"
PER_GENE_FILE = "per_gene_mae.npz"


def save_run(work_dir, trained, generator, training, sizes, metrics, per_gene):
    work_dir = Path(work_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    torch.save(
        {
            "state_dict": trained.model.state_dict(),
            "generator": asdict(generator),
            "training": asdict(training),
            "sizes": dict(sizes),
        },
        work_dir / CHECKPOINT_FILE,
    )
    summary = {
        "generator": asdict(generator),
        "training": asdict(training),
        "sizes": dict(sizes),
        **metrics,
    }
    (work_dir / METRICS_FILE).write_text(json.dumps(summary, indent=2) + "\n")
    np.savez_compressed(work_dir / PER_GENE_FILE, **per_gene)


def load_checkpoint(work_dir):
    """The trained model in eval mode, and the checkpoint's run description."""
    checkpoint = torch.load(Path(work_dir) / CHECKPOINT_FILE)
    generator = GeneratorConfig(**_tuples_restored(checkpoint["generator"]))
    training = checkpoint["training"]
    model = RawScaleDGEX(
        DGEX(generator.landmarks, generator.targets, training["hidden"], training["layers"],
             training["dropout"]),
        Standardiser.of_genes(generator.landmarks),
        Standardiser.of_genes(generator.targets),
    )
    model.load_state_dict(checkpoint["state_dict"])
    model.eval()
    return model, generator, checkpoint


def load_metrics(work_dir):
    return json.loads((Path(work_dir) / METRICS_FILE).read_text())


def load_per_gene(work_dir):
    with np.load(Path(work_dir) / PER_GENE_FILE) as arrays:
        return {name: arrays[name] for name in arrays.files}


def _tuples_restored(fields):
    # asdict keeps tuples, but a JSON round trip would not; the frozen config wants hashable tuples.
    return {
        name: tuple(value) if isinstance(value, list) else value for name, value in fields.items()
    }
