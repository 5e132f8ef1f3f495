import random

import numpy as np
import torch

from exporters.common.seeding import seed_everything


def draws():
    return random.random(), np.random.rand(), torch.rand(1).item()


def test_the_same_seed_repeats_every_generator():
    seed_everything(7)
    first = draws()
    seed_everything(7)
    assert draws() == first


def test_different_seeds_give_different_draws():
    seed_everything(7)
    first = draws()
    seed_everything(8)
    assert all(a != b for a, b in zip(first, draws()))
