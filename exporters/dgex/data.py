"""Synthetic gene expression with the structure of L1000 data, for training D-GEX offline.

The real L1000 / GEO microarray data the paper uses cannot be shipped, so this module draws
samples from a generative model built to have the properties the paper's comparison depends on.

Generative model, per sample (one expression profile):

1. Latent programs ``z ~ N(0, I_K)`` (K = 30 by default). Expression across genes is strongly
   correlated because a few tens of transcriptional programs (cell cycle, stress, immune
   response, ...) drive most of the variance; that low rank is what lets ~1,000 landmark genes
   predict the rest of the transcriptome at all. Thirty dimensions is also what makes
   k-nearest-neighbour regression trail (neighbourhoods in a 30-dimensional space are wide even
   with tens of thousands of samples), as the paper found on real data; with ~20 programs KNN
   caught up with linear regression in our trials.
2. Landmark signal: each landmark is a sparse linear combination of a few programs. Landmarks
   were chosen in L1000 to report the programs faithfully, so keeping them linear keeps the
   programs linearly decodable from the landmarks and gives linear regression a fair chance.
3. Target signal mixes three kinds of response, with per-gene mixing weights:
   - linear in the programs (the part linear regression recovers);
   - saturating: ``sigmoid(gain_k * (z_k - threshold_k))``, a program that switches a gene on
     above an activity threshold and saturates (transcription factor occupancy, pathway
     activation); only partly linear;
   - pairwise interactions ``z_i * z_j`` of a fixed set of program pairs (a gene needs two
     programs at once, e.g. a co-activator); invisible to any linear model.
   These nonlinear responses are what the paper's finding (deep network < linear regression in
   error) rests on, so without them D-GEX would have nothing to learn beyond LR. Default shares
   are drawn per gene from Dirichlet(2, 2, 1): linear and saturating responses dominate, as they
   would in real regulation, and pairwise terms stay a minority.
4. Each gene's signal is normalised to unit variance, then independent Gaussian noise is added
   (measurement and biological noise; landmarks and targets alike), which sets the error floor.
5. The log2 scale: ``expression = mean_g + scale_g * signal`` with per-gene means (4.5..11.5) and
   scales (log-normal around 0.9) varying like microarray log2 intensities, then a smooth
   background floor near 2 and scanner saturation near 14 (softplus on both ends), which keeps
   values in the usual 2..14 range and adds the detection nonlinearity of real arrays.

Gene-level parameters (the "world") come from one random stream and each split's samples from
its own, all derived from one seed, so any split can be regenerated alone and identically.
"""

from dataclasses import dataclass, replace

import numpy as np

LANDMARK_GENES = 943
TARGET_GENES = 9520

# Microarray log2 intensities rarely leave this range: background below, scanner saturation above.
LOG2_FLOOR = 2.0
LOG2_CEILING = 14.0

SPLITS = ("train", "validation", "test")


@dataclass(frozen=True)
class GeneratorConfig:
    """Sizes and noise of the generative model; with the seed it fixes every value drawn."""

    landmarks: int = LANDMARK_GENES
    targets: int = TARGET_GENES
    programs: int = 30
    interactions: int = 30
    noise: float = 0.35
    # Dirichlet concentration of each target's linear / saturating / pairwise variance shares.
    response_mix: tuple = (2.0, 2.0, 1.0)
    seed: int = 0


@dataclass(frozen=True)
class Split:
    """Samples in rows, genes in columns, float32 log2 expression."""

    landmarks: np.ndarray
    targets: np.ndarray


@dataclass(frozen=True)
class Dataset:
    train: Split
    validation: Split
    test: Split


@dataclass(frozen=True)
class World:
    """Gene-level parameters shared by every sample drawn from one config.

    Loadings are calibrated: each gene's signal has unit variance over the latent distribution,
    measured once on a calibration draw, so a sample never depends on what was drawn with it.
    """

    landmark_loadings: np.ndarray  # programs x landmarks
    target_loadings: np.ndarray  # response features (see _response_features) x targets
    saturation_gain: np.ndarray  # per program
    saturation_threshold: np.ndarray  # per program
    interaction_pairs: np.ndarray  # interactions x 2 program indices
    landmark_mean: np.ndarray
    landmark_scale: np.ndarray
    target_mean: np.ndarray
    target_scale: np.ndarray
    noise: float


# Enough latent draws to measure each gene's signal scale to about 1.5 %.
CALIBRATION_SAMPLES = 2000


def landmark_ids(count):
    """Stable gene ids in tensor column order; model.json lists them for the serving side."""
    return [f"LM{i:04d}" for i in range(1, count + 1)]


def target_ids(count):
    return [f"TG{i:05d}" for i in range(1, count + 1)]


def generate(config, sizes):
    """Draws every split; ``sizes`` maps each name in SPLITS to its sample count."""
    world = make_world(config)
    return Dataset(**{name: draw_split(world, config, name, sizes[name]) for name in SPLITS})


def draw_split(world, config, name, count):
    """Samples of one split alone; identical to that split of ``generate`` for the same config."""
    rng = np.random.default_rng(_seed_sequence(config, stream=1 + SPLITS.index(name)))
    return _sample(world, count, rng)


def make_world(config):
    rng = np.random.default_rng(_seed_sequence(config, stream=0))
    k, p = config.programs, config.interactions
    landmark_loadings = _sparse_loadings(k, config.landmarks, per_gene=3, rng=rng)
    responses = [
        _sparse_loadings(k, config.targets, per_gene=3, rng=rng),  # linear
        _sparse_loadings(k, config.targets, per_gene=2, rng=rng),  # saturating
        _sparse_loadings(p, config.targets, per_gene=2, rng=rng),  # pairwise
    ]
    # Per-gene variance share of the linear, saturating and pairwise responses.
    mixing = rng.dirichlet(config.response_mix, size=config.targets)
    world = World(
        landmark_loadings=landmark_loadings,
        target_loadings=np.vstack(responses),
        saturation_gain=rng.uniform(2.0, 5.0, k),
        saturation_threshold=rng.uniform(-0.5, 1.0, k),
        interaction_pairs=_distinct_pairs(k, p, rng),
        landmark_mean=rng.uniform(4.5, 11.5, config.landmarks),
        landmark_scale=_log_normal_scales(config.landmarks, rng),
        target_mean=rng.uniform(4.5, 11.5, config.targets),
        target_scale=_log_normal_scales(config.targets, rng),
        noise=config.noise,
    )
    calibration = rng.standard_normal((CALIBRATION_SAMPLES, k))
    return _calibrated(world, calibration, mixing, block_sizes=[k, k, p])


def _calibrated(world, z, mixing, block_sizes):
    features = _response_features(world, z)
    blocks = np.split(np.arange(features.shape[1]), np.cumsum(block_sizes)[:-1])
    target_loadings = world.target_loadings.copy()
    for i, rows in enumerate(blocks):
        response_std = (features[:, rows] @ target_loadings[rows]).std(axis=0)
        target_loadings[rows] *= np.sqrt(mixing[:, i]) / _nonzero(response_std)
    target_loadings /= _nonzero((features @ target_loadings).std(axis=0))
    landmark_std = (z @ world.landmark_loadings).std(axis=0)
    landmark_loadings = world.landmark_loadings / _nonzero(landmark_std)
    return replace(
        world,
        landmark_loadings=landmark_loadings.astype(np.float32),
        target_loadings=target_loadings.astype(np.float32),
    )


def _seed_sequence(config, stream):
    # Independent child streams: resizing one split leaves the world and the other splits unchanged.
    return np.random.SeedSequence(config.seed).spawn(len(SPLITS) + 1)[stream]


def _sample(world, count, rng):
    z = rng.standard_normal((count, world.landmark_loadings.shape[0]), dtype=np.float32)
    landmark_signal = z @ world.landmark_loadings
    target_signal = _response_features(world, z) @ world.target_loadings
    noise = world.noise
    landmarks = _to_log2(landmark_signal, world.landmark_mean, world.landmark_scale, noise, rng)
    targets = _to_log2(target_signal, world.target_mean, world.target_scale, noise, rng)
    return Split(landmarks=landmarks, targets=targets)


def _response_features(world, z):
    """What target genes respond to: the programs, their saturating activations, program pairs."""
    saturating = _sigmoid(world.saturation_gain * (z - world.saturation_threshold))
    pairwise = z[:, world.interaction_pairs[:, 0]] * z[:, world.interaction_pairs[:, 1]]
    return np.hstack([z, saturating, pairwise]).astype(z.dtype)


def _to_log2(signal, mean, scale, noise, rng):
    # float32 from here on: these arrays are samples x genes, the bulk of generation time.
    noise_draw = rng.standard_normal(signal.shape, dtype=np.float32)
    noise_scale = (scale * noise).astype(np.float32)
    raw = (mean + scale * signal).astype(np.float32) + noise_scale * noise_draw
    floored = LOG2_FLOOR + _softplus(raw - LOG2_FLOOR)
    saturated = LOG2_CEILING - _softplus(LOG2_CEILING - floored)
    return saturated.astype(np.float32)


def _sparse_loadings(rows, genes, per_gene, rng):
    """Each gene loads on ``per_gene`` random rows (programs or interactions) with random sign."""
    loadings = np.zeros((rows, genes))
    for gene in range(genes):
        chosen = rng.choice(rows, size=per_gene, replace=False)
        loadings[chosen, gene] = rng.normal(0.0, 1.0, per_gene)
    return loadings


def _distinct_pairs(programs, count, rng):
    all_pairs = np.array([(i, j) for i in range(programs) for j in range(i + 1, programs)])
    return all_pairs[rng.choice(len(all_pairs), size=count, replace=False)]


def _log_normal_scales(genes, rng):
    return np.exp(rng.normal(np.log(0.9), 0.35, genes))


def _nonzero(std):
    # A gene with no loading on a sampled response has zero spread there; leave it unscaled.
    return np.where(std > 0, std, 1.0)


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _softplus(x):
    return np.logaddexp(0.0, x)
