"""CPU thread setup for training and export."""

import torch

# Build machines are shared and small; more threads than this mostly adds contention.
DEFAULT_THREADS = 2


def use_threads(count=DEFAULT_THREADS):
    """Sets torch's intra-op thread count explicitly: this torch build defaults to one thread."""
    if count < 1:
        raise ValueError(f"thread count must be at least 1, got {count}")
    torch.set_num_threads(count)
    return torch.get_num_threads()
