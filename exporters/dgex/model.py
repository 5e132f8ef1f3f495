"""D-GEX and the paper's two baselines, linear regression and k-nearest-neighbour regression.

D-GEX (Chen et al. 2016) is a fully connected network with tanh hidden layers and dropout, mapping
standardised landmark expression to standardised target expression. The standardisation is part
of the shipped model (``RawScaleDGEX``), so the served graph takes and returns raw log2 values.
"""

import numpy as np
import torch
from torch import nn

# A gene constant on the training set would divide by zero; treat it as having unit spread.
MIN_STANDARD_DEVIATION = 1e-6


class Standardiser(nn.Module):
    """Per-gene affine map to zero mean and unit variance, with statistics fixed at fit time."""

    def __init__(self, mean, std):
        super().__init__()
        self.register_buffer("mean", torch.as_tensor(mean, dtype=torch.float32))
        self.register_buffer("std", torch.as_tensor(std, dtype=torch.float32))

    @classmethod
    def fit(cls, values):
        values = np.asarray(values, dtype=np.float64)
        std = np.maximum(values.std(axis=0), MIN_STANDARD_DEVIATION)
        return cls(values.mean(axis=0), std)

    @classmethod
    def of_genes(cls, genes):
        """An unfitted standardiser of the right size, to load fitted statistics into."""
        return cls(torch.zeros(genes), torch.ones(genes))

    def forward(self, raw):
        return (raw - self.mean) / self.std

    def inverse(self, standardised):
        return standardised * self.std + self.mean


class DGEX(nn.Module):
    """The paper's network: ``layers`` x (Linear, tanh, dropout), then a linear output layer."""

    def __init__(self, landmarks, targets, hidden, layers, dropout):
        super().__init__()
        if layers < 1:
            raise ValueError(f"D-GEX needs at least one hidden layer, got layers={layers}")
        blocks = []
        width = landmarks
        for _ in range(layers):
            blocks += [nn.Linear(width, hidden), nn.Tanh(), nn.Dropout(dropout)]
            width = hidden
        blocks.append(nn.Linear(width, targets))
        self.layers = nn.Sequential(*blocks)

    def forward(self, standardised_landmarks):
        return self.layers(standardised_landmarks)


class RawScaleDGEX(nn.Module):
    """The served model: raw log2 landmarks in, raw log2 targets out, standardisation inside."""

    def __init__(self, network, landmark_standardiser, target_standardiser):
        super().__init__()
        self.landmark_standardiser = landmark_standardiser
        self.network = network
        self.target_standardiser = target_standardiser

    def forward(self, landmarks):
        return self.target_standardiser.inverse(self.network(self.landmark_standardiser(landmarks)))


class LinearRegression:
    """Least squares with an intercept, in closed form; a tiny ridge (not on the intercept) keeps
    it well posed when landmarks are nearly collinear."""

    def __init__(self, ridge=1e-3):
        self.ridge = ridge
        self.coefficients = None

    def fit(self, landmarks, targets):
        design = _with_intercept(landmarks)
        gram = design.T @ design
        slopes = np.arange(gram.shape[0] - 1)
        gram[slopes, slopes] += self.ridge * len(design)
        self.coefficients = np.linalg.solve(gram, design.T @ np.asarray(targets, dtype=np.float64))
        return self

    def predict(self, landmarks):
        return (_with_intercept(landmarks) @ self.coefficients).astype(np.float32)


class KNNRegression:
    """Mean target profile of the k training samples nearest in landmark (Euclidean) distance.

    As in the paper, k is a hyperparameter chosen on the validation set (``fit_k``).
    """

    # Rows per distance block: bounds memory at rows x train floats.
    CHUNK = 256

    def __init__(self, k=1):
        self.k = k
        self.landmarks = None
        self.targets = None

    def fit(self, landmarks, targets):
        self.landmarks = torch.as_tensor(landmarks, dtype=torch.float32)
        self.targets = torch.as_tensor(targets, dtype=torch.float32)
        return self

    def fit_k(self, landmarks, targets, candidates):
        """Sets k to the candidate with the lowest MAE on (validation) ``landmarks, targets``."""
        errors = self.validation_mae(landmarks, targets, candidates)
        self.k = min(errors, key=errors.get)
        return errors

    def validation_mae(self, landmarks, targets, candidates):
        candidates = sorted(candidates)
        totals = {k: 0.0 for k in candidates}
        targets = torch.as_tensor(targets, dtype=torch.float32)
        for rows, neighbours in self._neighbour_chunks(landmarks, max(candidates)):
            running = torch.zeros(len(rows), self.targets.shape[1])
            for rank in range(max(candidates)):
                running += self.targets[neighbours[:, rank]]
                if rank + 1 in totals:
                    predicted = running / (rank + 1)
                    totals[rank + 1] += (predicted - targets[rows]).abs().sum().item()
        count = targets.numel()
        return {k: total / count for k, total in totals.items()}

    def predict(self, landmarks):
        predictions = [
            self.targets[neighbours].mean(dim=1)
            for _, neighbours in self._neighbour_chunks(landmarks, self.k)
        ]
        return torch.cat(predictions).numpy()

    def _neighbour_chunks(self, landmarks, k):
        landmarks = torch.as_tensor(landmarks, dtype=torch.float32)
        for start in range(0, len(landmarks), self.CHUNK):
            rows = torch.arange(start, min(start + self.CHUNK, len(landmarks)))
            distances = torch.cdist(landmarks[rows], self.landmarks)
            yield rows, distances.topk(k, dim=1, largest=False).indices


def mean_absolute_error(predicted, actual):
    """The paper's metric: mean |error| over every sample and target gene, in log2 units."""
    return float(np.mean(_absolute_errors(predicted, actual)))


def per_gene_mean_absolute_error(predicted, actual):
    return np.mean(_absolute_errors(predicted, actual), axis=0)


def _absolute_errors(predicted, actual):
    # float64: a float32 sum over ~20 million errors would lose the fourth decimal.
    return np.abs(np.asarray(predicted, np.float64) - np.asarray(actual, np.float64))


def _with_intercept(landmarks):
    landmarks = np.asarray(landmarks, dtype=np.float64)
    return np.hstack([landmarks, np.ones((len(landmarks), 1))])
