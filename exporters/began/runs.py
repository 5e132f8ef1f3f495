"""The training runs behind one export: the shipped run and the shorter ones the report compares.

A work directory holds one sub-directory per run (``mnist-gamma-0.5`` ...) with the weights,
the per-step history and sample snapshots (``history.npz``), and ``metrics.json`` with the
evaluation numbers, so export and report never retrain.
"""

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch

from exporters.began import data
from exporters.began.evaluation import (FeatureSpace, frame_scores, generate,
                                        mean_pairwise_distance, nearest_distances, roc_auc)
from exporters.began.model import Decoder, Discriminator
from exporters.began.training import TrainingConfig, train

CHECKPOINT_FILE = "checkpoint.pt"
HISTORY_FILE = "history.npz"
METRICS_FILE = "metrics.json"
SHIPPED_FILE = "shipped.json"
NEAREST_PAIRS = 8
DIVERSITY_SAMPLES = 500
NEAREST_SAMPLES = 200
THRESHOLD_PERCENTILE = 99.0
EVALUATION_SEED = 2024


@dataclass(frozen=True)
class RunSpec:
    dataset: str
    config: TrainingConfig

    @property
    def name(self):
        return f"{self.dataset}-gamma-{self.config.gamma}-{self.config.steps}-steps"


def run_and_save(spec, sets, work_dir, progress=None):
    """Trains one run on ``sets[spec.dataset]`` and scores it against the other set."""
    train_images, held_out = sets[spec.dataset]
    other = next(name for name in sets if name != spec.dataset)
    trained = train(data.to_model_input(train_images), spec.config, progress)
    metrics, nearest_pairs = evaluate(trained, spec, sets, other)
    directory = Path(work_dir) / spec.name
    directory.mkdir(parents=True, exist_ok=True)
    torch.save({"generator": trained.generator.state_dict(),
                "discriminator": trained.discriminator.state_dict(),
                "config": asdict(spec.config), "dataset": spec.dataset},
               directory / CHECKPOINT_FILE)
    np.savez_compressed(directory / HISTORY_FILE,
                        snapshot_steps=np.array([step for step, _ in trained.snapshots]),
                        snapshots=np.stack([images for _, images in trained.snapshots]),
                        nearest_pairs=nearest_pairs,
                        **{name: np.array(values) for name, values in trained.history.items()})
    (directory / METRICS_FILE).write_text(json.dumps(
        {"run": spec.name, "dataset": spec.dataset, "config": asdict(spec.config),
         "seconds": round(trained.seconds, 1), **metrics}, indent=2) + "\n")
    return metrics


def evaluate(trained, spec, sets, other):
    train_images, held_out = sets[spec.dataset]
    config = spec.config
    window = min(config.stall_window, len(trained.history["m"]))
    z = np.random.default_rng(EVALUATION_SEED).uniform(
        -1, 1, (DIVERSITY_SAMPLES, config.hidden)).astype(np.float32)
    samples = generate(trained.generator, z)
    real = data.to_model_input(held_out[:DIVERSITY_SAMPLES])
    train_input = data.to_model_input(train_images)
    features = FeatureSpace(train_input)
    sample_nn, nearest = nearest_distances(samples[:NEAREST_SAMPLES], train_input)
    real_nn, _ = nearest_distances(real[:NEAREST_SAMPLES], train_input)
    in_scores = frame_scores(trained.discriminator, data.to_model_input(held_out))
    out_scores = frame_scores(trained.discriminator, data.to_model_input(sets[other][1]))
    train_scores = frame_scores(trained.discriminator, train_input[:len(held_out)])
    # Samples beside their nearest training images, for the report's picture.
    pairs = np.stack([samples[:NEAREST_PAIRS], train_input[nearest[:NEAREST_PAIRS]]])
    return {
        "m_start": float(np.mean(trained.history["m"][:window])),
        "m_end": float(np.mean(trained.history["m"][-window:])),
        "k_end": trained.history["k"][-1],
        "diversity_samples": mean_pairwise_distance(features.project(samples)),
        "diversity_real": mean_pairwise_distance(features.project(real)),
        "nearest_train_distance_samples_median": float(np.median(sample_nn)),
        "nearest_train_distance_real_median": float(np.median(real_nn)),
        "score_in_distribution_mean": float(in_scores.mean()),
        "score_out_of_distribution_mean": float(out_scores.mean()),
        "ood_set": other,
        "roc_auc": roc_auc(in_scores, out_scores),
        "threshold": float(np.percentile(train_scores, THRESHOLD_PERCENTILE)),
        "threshold_percentile": THRESHOLD_PERCENTILE,
    }, pairs


def write_shipped(work_dir, name):
    Path(work_dir).mkdir(parents=True, exist_ok=True)
    (Path(work_dir) / SHIPPED_FILE).write_text(json.dumps({"run": name}) + "\n")


def shipped_run(work_dir):
    """The run that export ships and the report leads with."""
    return json.loads((Path(work_dir) / SHIPPED_FILE).read_text())["run"]


def load_metrics(work_dir, name):
    return json.loads((Path(work_dir) / name / METRICS_FILE).read_text())


def load_history(work_dir, name):
    with np.load(Path(work_dir) / name / HISTORY_FILE) as arrays:
        return {key: arrays[key] for key in arrays.files}


def load_models(work_dir, name):
    """(generator, discriminator, config dict) in eval mode."""
    checkpoint = torch.load(Path(work_dir) / name / CHECKPOINT_FILE)
    config = checkpoint["config"]
    pyramid = config.get("pyramid", False)
    generator = Decoder(config["hidden"], config["filters"], pyramid)
    discriminator = Discriminator(config["hidden"], config["filters"], pyramid)
    generator.load_state_dict(checkpoint["generator"])
    discriminator.load_state_dict(checkpoint["discriminator"])
    return generator.eval(), discriminator.eval(), config


def list_runs(work_dir):
    return sorted(path.name for path in Path(work_dir).iterdir()
                  if (path / METRICS_FILE).exists())
