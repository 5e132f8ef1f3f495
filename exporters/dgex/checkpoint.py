"""The work directory a training run leaves for export and report: weights, metrics, errors.

Everything export needs is here, including the generator config, so export can regenerate the
held-out test split for its golden pairs instead of storing data.
"""

from pathlib import Path

import numpy as np

from exporters.common.checkpoint import load_run
from exporters.common.checkpoint import save_run as save_work_dir
from exporters.dgex.data import GeneratorConfig
from exporters.dgex.model import DGEX, RawScaleDGEX, Standardiser

PER_GENE_FILE = "per_gene_mae.npz"


def save_run(work_dir, trained, generator, training, sizes, metrics, per_gene):
    work_dir = save_work_dir(work_dir, trained.model.state_dict(),
                             {"generator": generator, "training": training}, sizes, metrics)
    np.savez_compressed(work_dir / PER_GENE_FILE, **per_gene)


def load_checkpoint(work_dir):
    """The trained model in eval mode, and the checkpoint's run description."""
    checkpoint = load_run(work_dir)
    generator = GeneratorConfig(**_tuples_restored(checkpoint["generator"]))
    training = checkpoint["training"]
    model = RawScaleDGEX(
        DGEX(generator.landmarks, generator.targets, training["hidden"], training["layers"],
             training["dropout"]),
        Standardiser.of_genes(generator.landmarks),
        Standardiser.of_genes(generator.targets),
    )
    model.load_state_dict(checkpoint["weights"])
    model.eval()
    return model, generator, checkpoint


def load_per_gene(work_dir):
    with np.load(Path(work_dir) / PER_GENE_FILE) as arrays:
        return {name: arrays[name] for name in arrays.files}


def _tuples_restored(fields):
    # asdict keeps tuples, but a JSON round trip would not; the frozen config wants hashable tuples.
    return {
        name: tuple(value) if isinstance(value, list) else value for name, value in fields.items()
    }
