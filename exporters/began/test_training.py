import numpy as np
import pytest
import torch

from exporters.began import data
from exporters.began.evaluation import mean_pairwise_distance, roc_auc
from exporters.began.model import (Decoder, Discriminator, FrameScorer,
                                   nearest_distances_in_batch, nearest_shortfall,
                                   pairwise_distance, pulling_away, spread_shortfall)
from exporters.began.training import TrainingConfig, train

TINY = TrainingConfig(steps=12, batch_size=8, hidden=8, filters=4, stall_window=4, snapshots=3,
                      snapshot_samples=4)


@pytest.fixture(scope="module")
def images():
    torch.set_num_threads(1)
    return data.to_model_input(data.load_sample("mnist")[:64])


def test_the_committed_sample_pads_28_pixel_images_to_32_with_black():
    images = data.to_model_input(data.load_sample("fashion-mnist")[:3])
    assert images.shape == (3, 1, 32, 32)
    assert np.all(images[:, :, :2, :] == -1) and np.all(images[:, :, :, -2:] == -1)
    assert images.max() <= 1.0 and images.min() >= -1.0


def test_networks_map_latents_to_32_by_32_images_and_score_each_image():
    generator, discriminator = Decoder(8, 4), Discriminator(8, 4)
    image = generator(torch.zeros(5, 8))
    assert image.shape == (5, 1, 32, 32)
    assert discriminator(image).shape == image.shape
    assert FrameScorer(discriminator)(image).shape == (5, 1)


def test_training_logs_m_and_keeps_k_in_the_unit_interval(images):
    trained = train(images, TINY)
    assert len(trained.history["m"]) == TINY.steps
    assert all(0.0 <= k <= 1.0 for k in trained.history["k"])
    for m, real, fake in zip(trained.history["m"], trained.history["loss_real"],
                             trained.history["loss_fake"]):
        assert m == pytest.approx(real + abs(TINY.gamma * real - fake))
    assert [step for step, _ in trained.snapshots] == [0, 6, 12]


def test_training_is_deterministic_for_a_seed(images):
    first, second = train(images, TINY), train(images, TINY)
    for name, tensor in first.generator.state_dict().items():
        assert torch.equal(tensor, second.generator.state_dict()[name]), name


def test_learning_rate_halves_when_m_stalls(images):
    stalled = TrainingConfig(**{**TINY.__dict__, "stall_ratio": 0.0})
    rates = train(images, stalled).history["learning_rate"]
    assert rates[0] == stalled.learning_rate
    # The first window has nothing to compare with; the second halves the rate from step 9 on.
    assert rates[7] == stalled.learning_rate and rates[8] == stalled.learning_rate / 2


def test_roc_auc_counts_ties_as_half():
    assert roc_auc(np.array([0.0, 1.0]), np.array([2.0, 3.0])) == 1.0
    assert roc_auc(np.array([2.0, 3.0]), np.array([0.0, 1.0])) == 0.0
    assert roc_auc(np.array([1.0]), np.array([1.0])) == 0.5


def test_pulling_away_is_one_for_a_collapsed_batch_and_zero_for_orthogonal_codes():
    collapsed = torch.ones(6, 8) * torch.arange(1.0, 9.0)
    assert pulling_away(collapsed).item() == pytest.approx(1.0)
    assert pulling_away(torch.eye(8)).item() == pytest.approx(0.0)
    spread = torch.randn(16, 8, generator=torch.Generator().manual_seed(0))
    assert 0.0 < pulling_away(spread).item() < pulling_away(collapsed).item()


def test_diversity_is_zero_for_one_repeated_sample_and_grows_with_spread():
    repeated = np.tile(np.arange(5.0), (10, 1))
    assert mean_pairwise_distance(repeated) == pytest.approx(0.0, abs=1e-6)
    spread = np.random.default_rng(0).normal(size=(10, 5))
    assert mean_pairwise_distance(2 * spread) == pytest.approx(2 * mean_pairwise_distance(spread))


def test_pairwise_distance_is_zero_for_a_collapsed_batch_and_the_mean_l1_otherwise():
    one = torch.rand(1, 1, 32, 32)
    assert pairwise_distance(one.repeat(5, 1, 1, 1)).item() == pytest.approx(0.0)
    black, white = -torch.ones(1, 1, 32, 32), torch.ones(1, 1, 32, 32)
    assert pairwise_distance(torch.cat([black, white])).item() == pytest.approx(2.0)
    # Three images, two equal: pairs (a, a), (a, b), (a, b) -> 2 of 3 pairs at distance 2.
    assert pairwise_distance(torch.cat([black, black, white])).item() == pytest.approx(4 / 3)


def test_nearest_distances_in_batch_find_each_images_closest_other_image():
    black, white = -torch.ones(1, 1, 32, 32), torch.ones(1, 1, 32, 32)
    grey = torch.zeros(1, 1, 32, 32)
    # Two black images are each other's nearest (0); white's nearest is grey (1).
    distances = nearest_distances_in_batch(torch.cat([black, black, white, grey]))
    assert distances.tolist() == pytest.approx([0.0, 0.0, 1.0, 1.0])


@pytest.mark.parametrize("shortfall, spread", [
    (spread_shortfall, pairwise_distance),
    (nearest_shortfall, lambda batch: nearest_distances_in_batch(batch).mean()),
], ids=["batch mean distance", "nearest-neighbour distance"])
def test_a_diversity_floor_spreads_a_collapsed_generator(images, shortfall, spread):
    """Generator steps on the floor alone: a generator whose every latent gives nearly the same
    image ends up with a batch spread at least half the real batch's."""
    torch.manual_seed(0)
    generator = Decoder(8, 4)
    with torch.no_grad():
        generator.project.weight.mul_(0.01)  # almost the same image for every latent
    z = torch.rand(16, 8, generator=torch.Generator().manual_seed(1)) * 2 - 1
    real = torch.from_numpy(images[:16])
    target = spread(real).item()
    assert spread(generator(z)).item() < 0.1 * target
    optimiser = torch.optim.Adam(generator.parameters(), 1e-2)
    for _ in range(30):
        optimiser.zero_grad()
        shortfall(real, generator(z)).backward()
        optimiser.step()
    assert spread(generator(z)).item() > 0.5 * target
