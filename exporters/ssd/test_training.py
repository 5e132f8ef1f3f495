import pytest
import torch

from exporters.shapes.scenes import SceneConfig
from exporters.ssd.data import load_split
from exporters.ssd.training import TrainingConfig, evaluate, train_ssd

TINY = TrainingConfig(width=8, steps=30, batch_size=8, learning_rate=1e-2, warmup_steps=5)


@pytest.fixture(scope="module")
def scenes():
    torch.set_num_threads(2)
    return load_split(SceneConfig(), 0, "train", 24)


def test_a_tiny_model_trains_for_a_few_steps_and_its_loss_decreases(scenes):
    model, history = train_ssd(scenes, TINY, progress_every=10)
    assert [entry["step"] for entry in history] == [10, 20, 30]
    assert history[-1]["total"] < 0.85 * history[0]["total"]
    assert not model.training


def test_training_is_deterministic_for_a_seed(scenes):
    config = TrainingConfig(width=8, steps=2, batch_size=4, warmup_steps=1)
    first, _ = train_ssd(scenes, config)
    second, _ = train_ssd(scenes, config)
    for name, tensor in first.state_dict().items():
        assert torch.equal(tensor, second.state_dict()[name]), name


def test_evaluation_scores_every_class(scenes):
    model, _ = train_ssd(scenes, TrainingConfig(width=8, steps=1, batch_size=4, warmup_steps=1))
    few = load_split(SceneConfig(), 0, "test", 3)
    mean_ap, per_class, detections = evaluate(model, few, 160)
    assert len(per_class) == 3 and len(detections) == len(few)
    assert 0.0 <= mean_ap <= 1.0
    assert all(len(found.scores) <= 200 for found in detections)
