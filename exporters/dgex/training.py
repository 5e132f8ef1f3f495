"""Training D-GEX and fitting the paper's baselines on one dataset, then scoring all three."""

import copy
import time
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from exporters.common.seeding import seed_everything
from exporters.dgex.model import (
    DGEX,
    KNNRegression,
    LinearRegression,
    RawScaleDGEX,
    Standardiser,
    mean_absolute_error,
    per_gene_mean_absolute_error,
)

# Rows per forward pass when predicting: bounds memory at rows x 9,520 floats.
PREDICT_BATCH = 1024


@dataclass(frozen=True)
class TrainingConfig:
    hidden: int = 400
    layers: int = 2
    dropout: float = 0.1
    learning_rate: float = 1e-3
    batch_size: int = 200
    # Bounds the shipped run to about four minutes on two cores. With the default data the
    # validation MAE is still creeping down at epoch 25 (by ~0.0005 per epoch), so this cap,
    # not early stopping, usually ends that run.
    max_epochs: int = 25
    # Epochs without a new best validation MAE before training stops.
    patience: int = 3
    knn_candidates: tuple = (1, 5, 10, 20, 40)
    seed: int = 0


@dataclass(frozen=True)
class TrainedDGEX:
    model: RawScaleDGEX
    epochs: int  # epochs run, including those after the best one
    best_epoch: int  # 1-based epoch whose weights were kept
    validation_mae: list  # per epoch, log2 units


def train_dgex(train, validation, config, on_epoch=lambda epoch, validation_mae: None):
    """Adam on MSE of standardised targets; keeps the weights of the best validation-MAE epoch.

    ``on_epoch`` is told each epoch's validation MAE, for progress output on long runs.
    """
    seed_everything(config.seed)
    landmarks = train.landmarks.shape[1]
    targets = train.targets.shape[1]
    model = RawScaleDGEX(
        DGEX(landmarks, targets, config.hidden, config.layers, config.dropout),
        Standardiser.fit(train.landmarks),
        Standardiser.fit(train.targets),
    )
    inputs = model.landmark_standardiser(torch.from_numpy(train.landmarks))
    outputs = model.target_standardiser(torch.from_numpy(train.targets))
    optimiser = torch.optim.Adam(model.network.parameters(), lr=config.learning_rate)
    shuffler = torch.Generator().manual_seed(config.seed)

    history, best_mae, best_epoch, best_state = [], float("inf"), 0, None
    for epoch in range(1, config.max_epochs + 1):
        _train_one_epoch(model.network, inputs, outputs, optimiser, config.batch_size, shuffler)
        mae = mean_absolute_error(predict(model, validation.landmarks), validation.targets)
        history.append(mae)
        on_epoch(epoch, mae)
        if mae < best_mae:
            best_mae, best_epoch, best_state = mae, epoch, copy.deepcopy(model.state_dict())
        elif epoch - best_epoch >= config.patience:
            break
    model.load_state_dict(best_state)
    model.eval()
    return TrainedDGEX(
        model=model, epochs=len(history), best_epoch=best_epoch, validation_mae=history
    )


def predict(model, landmarks):
    """Raw log2 target predictions of a RawScaleDGEX, in eval mode (dropout off)."""
    model.eval()
    with torch.no_grad():
        batches = [
            model(torch.from_numpy(landmarks[start : start + PREDICT_BATCH]))
            for start in range(0, len(landmarks), PREDICT_BATCH)
        ]
    return torch.cat(batches).numpy()


def fit_baselines(train, validation, knn_candidates):
    linear = LinearRegression().fit(train.landmarks, train.targets)
    knn = KNNRegression().fit(train.landmarks, train.targets)
    knn_validation_mae = knn.fit_k(validation.landmarks, validation.targets, knn_candidates)
    return linear, knn, knn_validation_mae


def train_and_evaluate(dataset, config, on_epoch=lambda epoch, validation_mae: None):
    """Trains D-GEX, fits both baselines, and scores all three on the held-out test split."""
    started = time.monotonic()
    trained = train_dgex(dataset.train, dataset.validation, config, on_epoch)
    dgex_seconds = time.monotonic() - started
    linear, knn, knn_validation_mae = fit_baselines(
        dataset.train, dataset.validation, config.knn_candidates
    )
    test = dataset.test
    predictions = {
        "dgex": predict(trained.model, test.landmarks),
        "linear": linear.predict(test.landmarks),
        "knn": knn.predict(test.landmarks),
    }
    metrics = {
        "mae": {name: mean_absolute_error(p, test.targets) for name, p in predictions.items()},
        "epochs": trained.epochs,
        "best_epoch": trained.best_epoch,
        "validation_mae_by_epoch": trained.validation_mae,
        "knn_k": knn.k,
        "knn_validation_mae": {str(k): mae for k, mae in knn_validation_mae.items()},
        "dgex_training_seconds": round(dgex_seconds, 1),
        "total_seconds": round(time.monotonic() - started, 1),
    }
    per_gene = {
        name: per_gene_mean_absolute_error(p, test.targets).astype(np.float32)
        for name, p in predictions.items()
    }
    return trained, metrics, per_gene


def _train_one_epoch(network, inputs, outputs, optimiser, batch_size, shuffler):
    network.train()
    loss_of = nn.MSELoss()
    order = torch.randperm(len(inputs), generator=shuffler)
    for start in range(0, len(order), batch_size):
        rows = order[start : start + batch_size]
        optimiser.zero_grad()
        loss_of(network(inputs[rows]), outputs[rows]).backward()
        optimiser.step()
