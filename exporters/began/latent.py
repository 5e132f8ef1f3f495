"""Seed -> latent vector, specified exactly so the Java engine draws the same z bit for bit.

SplitMix64 (Steele, Lea, Flood 2014) with the state starting at the seed; each latent component
takes the top 24 bits of one output, ``u = (out >> 40) / 2**24``, and maps it to
``z = 2 * u - 1`` in [-1, 1), BEGAN's uniform prior. Only integer arithmetic and exact float32
steps (k / 2**23 - 1 is representable for every 24-bit k), so no libm can make the two sides
disagree. Image i of a request with seed s uses seed s + i (wrapping at 64 bits).
"""

import numpy as np

_MASK = (1 << 64) - 1
_GOLDEN_GAMMA = 0x9E3779B97F4A7C15


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & _MASK

    def next(self):
        self.state = (self.state + _GOLDEN_GAMMA) & _MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        return z ^ (z >> 31)


def latent_for_seed(seed, dim):
    generator = SplitMix64(seed)
    steps = np.array([generator.next() >> 40 for _ in range(dim)], dtype=np.int64)
    return (steps - (1 << 23)).astype(np.float32) / np.float32(1 << 23)


def latents_for_seeds(first_seed, count, dim):
    """Rows for seeds first_seed, first_seed + 1, ...: the latents of one request."""
    return np.stack([latent_for_seed((first_seed + i) & _MASK, dim) for i in range(count)])
