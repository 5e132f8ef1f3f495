"""BEGAN's networks (Berthelot et al. 2017), sized for 32x32 grey images.

Generator and the discriminator's decoder share one shape: a fully connected layer to an 8x8 map,
then blocks of two 3x3 convolutions with ELU, nearest-neighbour upsampling between blocks, and a
last 3x3 convolution to one channel. The encoder mirrors it with stride-2 convolutions. No batch
norm anywhere, as in the paper: the discriminator must map each image on its own.
"""

import torch
from torch import nn

IMAGE_SIZE = 32
BASE_SIZE = 8


def _block(channels_in, channels_out):
    return [nn.Conv2d(channels_in, channels_out, 3, padding=1), nn.ELU(),
            nn.Conv2d(channels_out, channels_out, 3, padding=1), nn.ELU()]


class Decoder(nn.Module):
    """h -> image in [-1, 1]-ish (no squashing: the L1 loss sets the range, as in the paper).

    ``pyramid``: the 8x8 and 16x16 blocks get 3 and 2 times ``filters`` channels (the encoder's
    widths, mirrored) instead of the paper's constant width; the 32x32 block, where most of the
    arithmetic is, keeps ``filters``."""

    def __init__(self, hidden, filters, pyramid=False):
        super().__init__()
        widths = (3 * filters, 2 * filters, filters) if pyramid else (filters,) * 3
        self.widths = widths
        self.project = nn.Linear(hidden, widths[0] * BASE_SIZE * BASE_SIZE)
        self.block8 = nn.Sequential(*_block(widths[0], widths[0]))
        self.block16 = nn.Sequential(*_block(widths[0], widths[1]))
        self.block32 = nn.Sequential(*_block(widths[1], widths[2]))
        self.to_image = nn.Conv2d(widths[2], 1, 3, padding=1)

    def forward(self, h):
        x = self.project(h).view(-1, self.widths[0], BASE_SIZE, BASE_SIZE)
        x = self.block8(x)
        x = self.block16(upsample_nearest(x, self.widths[0], BASE_SIZE))
        x = self.block32(upsample_nearest(x, self.widths[1], 2 * BASE_SIZE))
        return self.to_image(x)


def upsample_nearest(x, channels, size):
    """2x nearest-neighbour upsampling of a [n, channels, size, size] map by duplication and a
    reshape to constant sizes, so the exported graph keeps fixed spatial dimensions (torch's
    Resize export, and expand, leave them symbolic)."""
    x = x.unsqueeze(3)
    x = torch.cat([x, x], dim=3).unsqueeze(5)
    return torch.cat([x, x], dim=5).reshape(-1, channels, 2 * size, 2 * size)


class Encoder(nn.Module):
    """Image -> h; filters grow linearly with depth and stride-2 convolutions subsample."""

    def __init__(self, hidden, filters):
        super().__init__()
        self.layers = nn.Sequential(
            nn.Conv2d(1, filters, 3, padding=1), nn.ELU(),
            *_block(filters, filters),
            nn.Conv2d(filters, 2 * filters, 3, stride=2, padding=1), nn.ELU(),  # 16x16
            *_block(2 * filters, 2 * filters),
            nn.Conv2d(2 * filters, 3 * filters, 3, stride=2, padding=1), nn.ELU(),  # 8x8
            *_block(3 * filters, 3 * filters),
        )
        self.project = nn.Linear(3 * filters * BASE_SIZE * BASE_SIZE, hidden)

    def forward(self, image):
        return self.project(self.layers(image).flatten(1))


class Discriminator(nn.Module):
    """The autoencoder: its reconstruction error is what BEGAN's losses compare."""

    def __init__(self, hidden, filters, pyramid=False):
        super().__init__()
        self.encoder = Encoder(hidden, filters)
        self.decoder = Decoder(hidden, filters, pyramid)

    def forward(self, image):
        return self.decoder(self.encoder(image))


def pulling_away(codes):
    """EBGAN's pulling-away term: the mean squared cosine similarity of a batch's codes, pairs of
    distinct samples only. 0 when the codes are orthogonal, 1 when they all point one way."""
    unit = codes / codes.norm(dim=1, keepdim=True).clamp_min(1e-8)
    cosine = unit @ unit.t()
    n = len(codes)
    return ((cosine ** 2).sum() - n) / (n * (n - 1))


def pairwise_distance(images):
    """Mean per-pixel L1 distance over the distinct pairs of a batch: 0 for a collapsed batch."""
    flat = images.flatten(1)
    n = len(flat)
    return torch.cdist(flat, flat, p=1).sum() / (n * (n - 1) * flat.shape[1])


def nearest_distances_in_batch(images):
    """Per image: the per-pixel L1 distance to the nearest other image of its batch."""
    flat = images.flatten(1)
    distances = torch.cdist(flat, flat, p=1) / flat.shape[1]
    mask = torch.eye(len(flat), dtype=torch.bool)
    return distances.masked_fill(mask, float("inf")).min(dim=1).values


def spread_shortfall(real, generated):
    """max(0, d(real) - d(generated)), d a batch's mean pairwise distance: zero once the
    generated batch is as spread as the real one."""
    return (pairwise_distance(real) - pairwise_distance(generated)).clamp_min(0.0)


def nearest_shortfall(real, generated):
    """mean_i max(0, nn(real) - nn_i(generated)), nn(real) the real batch's mean: zero once each
    generated image is as far from its nearest batch neighbour as real images are on average."""
    target = nearest_distances_in_batch(real).mean()
    return (target - nearest_distances_in_batch(generated)).clamp_min(0.0).mean()


def reconstruction_loss(images, reconstructions):
    """Per-image mean absolute error, the L of the paper (eta = 1)."""
    return (images - reconstructions).abs().flatten(1).mean(dim=1)


class FrameScorer(nn.Module):
    """The served discriminator: image batch [n, 1, 32, 32] in [-1, 1] -> score [n, 1]."""

    def __init__(self, discriminator):
        super().__init__()
        self.discriminator = discriminator

    def forward(self, images):
        return reconstruction_loss(images, self.discriminator(images)).unsqueeze(1)
