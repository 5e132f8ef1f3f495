"""The numbers the report checks the paper's claims with.

- diversity: mean pairwise Euclidean distance of samples in a fixed feature space, the top
  principal components of the training images (fixed by the data, not by any model, so runs with
  different gamma are comparable), next to the same number for held-out real images;
- copying: each sample's pixel distance to its nearest training image, next to the same for
  held-out real images (a generator that memorised would sit far below the real images);
- out-of-distribution: ROC AUC of the discriminator's reconstruction error, in-distribution
  held-out images (negatives) vs the other data set (positives).
"""

import numpy as np
import torch

from exporters.began.model import FrameScorer

FEATURE_COMPONENTS = 50


class FeatureSpace:
    def __init__(self, train_images, components=FEATURE_COMPONENTS):
        flat = _flat(train_images)
        self.mean = flat.mean(axis=0)
        _, _, vt = np.linalg.svd(flat[:5000] - self.mean, full_matrices=False)
        self.basis = vt[:components].T

    def project(self, images):
        return (_flat(images) - self.mean) @ self.basis


def mean_pairwise_distance(features):
    squared = (features ** 2).sum(axis=1)
    distances = np.sqrt(np.maximum(squared[:, None] + squared[None, :] - 2 * features @ features.T,
                                   0.0))
    n = len(features)
    return float(distances.sum() / (n * (n - 1)))


def nearest_distances(images, reference, chunk=256):
    """Per image: (distance to, index of) the nearest reference image, pixels in [-1, 1]."""
    queries, pool = _flat(images), _flat(reference)
    pool_squared = (pool ** 2).sum(axis=1)
    distances, indices = [], []
    for start in range(0, len(queries), chunk):
        block = queries[start:start + chunk]
        squared = (block ** 2).sum(axis=1)[:, None] + pool_squared[None, :] - 2 * block @ pool.T
        nearest = squared.argmin(axis=1)
        indices.append(nearest)
        distances.append(np.sqrt(np.maximum(squared[np.arange(len(block)), nearest], 0.0)))
    return np.concatenate(distances), np.concatenate(indices)


def frame_scores(discriminator, images, batch=256):
    scorer = FrameScorer(discriminator).eval()
    with torch.no_grad():
        return np.concatenate([
            scorer(torch.from_numpy(np.ascontiguousarray(images[i:i + batch])))[:, 0].numpy()
            for i in range(0, len(images), batch)
        ])


def roc_auc(negative_scores, positive_scores):
    """P(positive score > negative score), ties counting one half (the Mann-Whitney form)."""
    scores = np.concatenate([negative_scores, positive_scores])
    ranks = np.empty(len(scores))
    order = np.argsort(scores, kind="mergesort")
    ranks[order] = np.arange(1, len(scores) + 1)
    sorted_scores = scores[order]
    # Average ranks of ties.
    start = 0
    while start < len(scores):
        end = start
        while end + 1 < len(scores) and sorted_scores[end + 1] == sorted_scores[start]:
            end += 1
        ranks[order[start:end + 1]] = (start + end) / 2 + 1
        start = end + 1
    n_neg, n_pos = len(negative_scores), len(positive_scores)
    positive_rank_sum = ranks[n_neg:].sum()
    return float((positive_rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def generate(generator, z, batch=256):
    with torch.no_grad():
        return np.concatenate([generator(torch.from_numpy(z[i:i + batch])).numpy()
                               for i in range(0, len(z), batch)])


def _flat(images):
    return np.asarray(images, dtype=np.float64).reshape(len(images), -1)
