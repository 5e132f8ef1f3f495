import numpy as np
import pytest
import torch

from exporters.dgex.data import GeneratorConfig, generate
from exporters.dgex.model import mean_absolute_error
from exporters.dgex.training import TrainingConfig, predict, train_and_evaluate, train_dgex

SMALL = GeneratorConfig(landmarks=30, targets=50, programs=4, interactions=3, seed=1)
TINY_TRAINING = TrainingConfig(
    hidden=32, layers=2, dropout=0.1, learning_rate=3e-3, batch_size=50, max_epochs=8, patience=3,
    knn_candidates=(1, 5, 10),
)


@pytest.fixture(scope="module")
def dataset():
    torch.set_num_threads(2)
    return generate(SMALL, {"train": 1000, "validation": 200, "test": 200})


def test_tiny_dgex_beats_the_mean_predictor(dataset):
    trained = train_dgex(dataset.train, dataset.validation, TINY_TRAINING)
    mean_profile = np.broadcast_to(dataset.train.targets.mean(axis=0), dataset.test.targets.shape)
    predicted = predict(trained.model, dataset.test.landmarks)
    dgex_mae = mean_absolute_error(predicted, dataset.test.targets)
    assert dgex_mae < 0.8 * mean_absolute_error(mean_profile, dataset.test.targets)


def test_training_is_deterministic_for_a_seed(dataset):
    config = TrainingConfig(**{**TINY_TRAINING.__dict__, "max_epochs": 2})
    first = train_dgex(dataset.train, dataset.validation, config)
    second = train_dgex(dataset.train, dataset.validation, config)
    for name, tensor in first.model.state_dict().items():
        assert torch.equal(tensor, second.model.state_dict()[name]), name


def test_early_stopping_keeps_the_weights_of_the_best_validation_epoch(dataset):
    trained = train_dgex(dataset.train, dataset.validation, TINY_TRAINING)
    best = min(trained.validation_mae)
    assert trained.validation_mae[trained.best_epoch - 1] == best
    kept = mean_absolute_error(predict(trained.model, dataset.validation.landmarks),
                               dataset.validation.targets)
    assert kept == pytest.approx(best, rel=1e-6)
    assert trained.epochs - trained.best_epoch <= TINY_TRAINING.patience


def test_evaluation_scores_all_three_models_on_the_test_split(dataset):
    _, metrics, per_gene = train_and_evaluate(dataset, TINY_TRAINING)
    assert set(metrics["mae"]) == set(per_gene) == {"dgex", "linear", "knn"}
    for name, mae in metrics["mae"].items():
        assert per_gene[name].shape == (SMALL.targets,)
        assert float(per_gene[name].mean()) == pytest.approx(mae, rel=1e-5)
    assert metrics["knn_k"] in TINY_TRAINING.knn_candidates
