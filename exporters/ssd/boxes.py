"""Default boxes (priors), Jaccard overlap, box encoding with variances and matching (SSD sec. 2.2).

Conventions used everywhere in this package and in model.json:
- a prior is ``(cx, cy, w, h)`` normalised to 0..1 of the network input (which stretches the
  whole frame, so also 0..1 of the frame);
- ground-truth and decoded boxes are corners ``(xMin, yMin, xMax, yMax)``, normalised;
- priors are ordered feature map by feature map (largest map first), then row (y), then column
  (x), then the priors of one location in the order of ``PriorConfig.kinds``: the same order in
  which the network's heads are flattened.
"""

import math
from dataclasses import dataclass

import torch

VARIANCES = (0.1, 0.2)


@dataclass(frozen=True)
class PriorConfig:
    """Feature map sizes and the prior scale of each (the paper's s_k), plus one scale beyond.

    Per location: aspect 1 at s_k, aspect 1 at sqrt(s_k * s_k+1) (the paper's extra scale), and
    aspects 2 and 1/2 at s_k; so ``len(kinds)`` priors per location.
    """

    feature_maps: tuple = (20, 10, 5, 3)
    scales: tuple = (0.07, 0.15, 0.3, 0.5, 0.7)  # one more than feature_maps: the last s_k+1
    aspect_ratios: tuple = (2.0,)  # each adds the ratio and its inverse

    def __post_init__(self):
        if len(self.scales) != len(self.feature_maps) + 1:
            raise ValueError(
                f"{len(self.feature_maps)} feature maps need {len(self.feature_maps) + 1} scales, "
                f"got {len(self.scales)}"
            )

    @property
    def per_location(self):
        return 2 + 2 * len(self.aspect_ratios)

    @property
    def count(self):
        return sum(size * size for size in self.feature_maps) * self.per_location


def make_priors(config):
    """The priors as a float32 tensor (P x 4, ``cx, cy, w, h``), centres at cell centres."""
    rows = []
    for k, size in enumerate(config.feature_maps):
        scale, next_scale = config.scales[k], config.scales[k + 1]
        extra = math.sqrt(scale * next_scale)
        shapes = [(scale, scale), (extra, extra)]
        for ratio in config.aspect_ratios:
            root = math.sqrt(ratio)
            shapes += [(scale * root, scale / root), (scale / root, scale * root)]
        for y in range(size):
            for x in range(size):
                cx, cy = (x + 0.5) / size, (y + 0.5) / size
                rows += [(cx, cy, w, h) for w, h in shapes]
    return torch.tensor(rows, dtype=torch.float32)


def corners(boxes):
    """``(cx, cy, w, h)`` -> ``(xMin, yMin, xMax, yMax)``."""
    half = boxes[..., 2:] / 2
    return torch.cat([boxes[..., :2] - half, boxes[..., :2] + half], dim=-1)


def centres(boxes):
    """``(xMin, yMin, xMax, yMax)`` -> ``(cx, cy, w, h)``."""
    return torch.cat([(boxes[..., :2] + boxes[..., 2:]) / 2, boxes[..., 2:] - boxes[..., :2]],
                     dim=-1)


def jaccard(a, b):
    """IoU matrix (n x m) of corner boxes ``a`` (n x 4) and ``b`` (m x 4); continuous areas."""
    top_left = torch.max(a[:, None, :2], b[None, :, :2])
    bottom_right = torch.min(a[:, None, 2:], b[None, :, 2:])
    intersection = (bottom_right - top_left).clamp(min=0).prod(dim=2)
    area_a = (a[:, 2:] - a[:, :2]).clamp(min=0).prod(dim=1)
    area_b = (b[:, 2:] - b[:, :2]).clamp(min=0).prod(dim=1)
    union = area_a[:, None] + area_b[None, :] - intersection
    return intersection / union.clamp(min=1e-12)


def encode(boxes, priors, variances=VARIANCES):
    """Corner boxes -> regression targets ``(dx, dy, dw, dh)`` w.r.t. ``priors`` (cx, cy, w, h)."""
    box = centres(boxes)
    dxy = (box[..., :2] - priors[..., :2]) / (variances[0] * priors[..., 2:])
    dwh = torch.log(box[..., 2:].clamp(min=1e-9) / priors[..., 2:]) / variances[1]
    return torch.cat([dxy, dwh], dim=-1)


def decode(offsets, priors, variances=VARIANCES):
    """Regressions ``(dx, dy, dw, dh)`` -> corner boxes (not clipped; see ``decoding``)."""
    cxy = priors[..., :2] + offsets[..., :2] * variances[0] * priors[..., 2:]
    wh = priors[..., 2:] * torch.exp(offsets[..., 2:] * variances[1])
    return corners(torch.cat([cxy, wh], dim=-1))


def match(truths, labels, priors, threshold=0.5):
    """Assigns each prior a ground truth (SSD matching strategy).

    Every ground truth first gets the prior of its highest Jaccard overlap (so none is left
    unmatched), then every prior with overlap >= ``threshold`` to some ground truth gets the best
    one. Returns ``(classes, matched)``: per prior the class column (0 = background, else
    label + 1) and the matched corner box (meaningful only where classes > 0).
    """
    if len(truths) == 0:
        return (torch.zeros(len(priors), dtype=torch.int64),
                torch.zeros(len(priors), 4, dtype=torch.float32))
    overlaps = jaccard(truths, corners(priors))  # truths x priors
    best_truth_overlap, best_truth = overlaps.max(dim=0)
    best_prior = overlaps.argmax(dim=1)
    # Forced matches win over threshold matches; a later truth wins a prior two truths both want
    # as their best, which can only happen for near-duplicate boxes.
    best_truth_overlap[best_prior] = 2.0
    best_truth[best_prior] = torch.arange(len(truths))
    classes = labels[best_truth] + 1
    classes[best_truth_overlap < threshold] = 0
    return classes, truths[best_truth]
