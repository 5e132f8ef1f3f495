"""One seed for every random number generator a training run touches."""

import random

import numpy as np
import torch


def seed_everything(seed):
    """Seeds Python's ``random``, NumPy's global generator and torch, so reruns repeat exactly.

    Code that draws data should still prefer its own ``np.random.default_rng(seed)``; this covers
    the global generators that libraries (dropout, shuffling, initialisation) use implicitly.
    """
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
