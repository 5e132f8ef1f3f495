"""COCO's uncompressed run-length encoding of binary masks (as pycocotools writes ``counts``).

Pixels are visited in column-major order (down each column, then the next column to the right);
counts alternate runs of 0s and 1s and always start with a run of 0s, possibly empty.
"""

import numpy as np


def encode(mask):
    """H x W bool -> list of run lengths."""
    pixels = np.asarray(mask, dtype=bool).flatten(order="F").astype(np.int8)
    changes = np.flatnonzero(np.diff(pixels)) + 1
    bounds = np.concatenate([[0], changes, [len(pixels)]])
    counts = np.diff(bounds).tolist()
    if len(pixels) and pixels[0]:
        counts = [0] + counts
    return [int(c) for c in counts]


def decode(counts, height, width):
    """Run lengths -> H x W bool."""
    if sum(counts) != height * width:
        raise ValueError(f"counts sum to {sum(counts)}, not {height} x {width}")
    values = np.zeros(len(counts), dtype=bool)
    values[1::2] = True
    return np.repeat(values, counts).reshape((height, width), order="F")
