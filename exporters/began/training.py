"""BEGAN training: the paper's losses, proportional control of k_t, and the convergence measure M.

    L(v)   = |v - D(v)|                             (L1 norm per image, averaged over the batch)
    L_D    = L(x) - k_t L(G(z_D))
    L_G    = L(G(z_G))
    k_t+1  = clip(k_t + lambda_k (gamma L(x) - L(G(z_G))), 0, 1)
    M      = L(x) + |gamma L(x) - L(G(z_G))|

L is the paper's norm, the sum over an image's pixels, not their mean: lambda_k = 0.001 then
moves k_t by up to a few hundredths a step, so k_t reaches its equilibrium within a few hundred
steps. With the per-pixel mean (1/1024 of it) k_t stayed near 0.01 for 4,000 steps, the
discriminator barely pushed back on generated images, and the generator collapsed to one stroke.
Adam's steps do not depend on the scale of the losses, so only k_t and M see the difference.

The paper's BEGAN, trained this way at this size (16 filters, 4,000 steps on one CPU core),
collapsed to one "1" for nearly every latent. ``nearest_floor`` adds one term to the generator's
loss: for each generated image, how far its L1 distance (per pixel) to the nearest other image
of its batch falls short of the real batch's mean nearest-neighbour distance,
``pixels * mean_i max(0, nn(x) - nn_i(G(z)))``. It is zero for a batch whose images are as far
apart as real ones, so it acts only against collapse and leaves BEGAN's L, k_t and M as they are.
The alternatives tried (see report.md): ``diversity_floor``, the same on the batch's mean pairwise
distance (met by a mixture of black images and blobs), ``pulling_away`` (EBGAN's term on the
encoder's codes) and ``latent_constraint`` (BEGAN-CS).

With the floor, gamma defaults to 1.0: a gamma below 1 asks for generated images easier to
reconstruct than real ones while the floor asks for real images' spread. Where both cannot hold,
L(G(z)) stays above gamma L(x), k_t sits at 0 and the discriminator never learns what generated
images get wrong (at gamma 0.5, k_t was above 0 in 0.6% of 3,500 steps and samples stayed blobs).

Both networks use Adam; when the mean M of a window of steps is not below ``stall_ratio`` times
the best earlier window, the learning rate is halved (the paper's decay "when M stalls").
"""

import time
from dataclasses import dataclass

import numpy as np
import torch

from exporters.began.model import (Decoder, Discriminator, nearest_shortfall, pulling_away,
                                   reconstruction_loss, spread_shortfall)


@dataclass(frozen=True)
class TrainingConfig:
    gamma: float = 1.0  # with the floor, see above
    steps: int = 12000
    batch_size: int = 16  # the paper's
    hidden: int = 32  # latent z and the autoencoder's code h have the same size, as in the paper
    filters: int = 16
    learning_rate: float = 2e-4
    lambda_k: float = 0.001
    adam_betas: tuple = (0.5, 0.999)
    stall_window: int = 500
    stall_ratio: float = 0.98
    min_learning_rate: float = 1e-5
    snapshots: int = 5  # sample grids kept along training, for the M plot
    snapshot_samples: int = 16
    seed: int = 0
    latent_constraint: float = 0.0  # BEGAN-CS's alpha; 0 is the paper's BEGAN
    pulling_away: float = 0.0  # EBGAN's pulling-away weight on the generator, per pixel
    diversity_floor: float = 0.0  # weight of the generated batch's spread below the real one's
    nearest_floor: float = 1.0  # weight of each sample's nearest-neighbour shortfall, see above
    pyramid: bool = False  # decoder widths 3n, 2n, n at 8, 16, 32 pixels instead of n, n, n


@dataclass
class Trained:
    generator: Decoder
    discriminator: Discriminator
    history: dict  # per step: M, k, L(x), L(G(z)), learning rate
    snapshots: list  # (step, uint8-ready float images [n, 1, 32, 32]) along training
    seconds: float


def sample_latent(rows, dim, generator):
    return torch.rand(rows, dim, generator=generator) * 2.0 - 1.0


def train(images, config, progress=None):
    """``images``: float32 [n, 1, 32, 32] in [-1, 1]. Deterministic for a seed."""
    torch.manual_seed(config.seed)
    rng = torch.Generator().manual_seed(config.seed)
    generator = Decoder(config.hidden, config.filters, config.pyramid)
    discriminator = Discriminator(config.hidden, config.filters, config.pyramid)
    optimise_g = torch.optim.Adam(generator.parameters(), config.learning_rate,
                                  betas=config.adam_betas)
    optimise_d = torch.optim.Adam(discriminator.parameters(), config.learning_rate,
                                  betas=config.adam_betas)
    data = torch.from_numpy(np.ascontiguousarray(images))
    pixels = data[0].numel()
    fixed_z = sample_latent(config.snapshot_samples, config.hidden, rng)
    snapshot_steps = set(np.linspace(0, config.steps, config.snapshots).astype(int).tolist())
    history = {name: [] for name in ("m", "k", "loss_real", "loss_fake", "learning_rate")}
    snapshots = []
    k, learning_rate, best_window = 0.0, config.learning_rate, float("inf")
    started = time.monotonic()
    for step in range(config.steps + 1):
        if step in snapshot_steps:
            snapshots.append((step, _generate(generator, fixed_z)))
        if step == config.steps:
            break
        real = data[torch.randint(len(data), (config.batch_size,), generator=rng)]
        z_d = sample_latent(config.batch_size, config.hidden, rng)
        z_g = sample_latent(config.batch_size, config.hidden, rng)

        loss_real = pixels * reconstruction_loss(real, discriminator(real)).mean()
        fake_d = generator(z_d).detach()
        code_d = discriminator.encoder(fake_d)
        loss_fake_d = pixels * reconstruction_loss(fake_d, discriminator.decoder(code_d)).mean()
        loss_d = loss_real - k * loss_fake_d
        if config.latent_constraint:
            loss_d = loss_d + config.latent_constraint * latent_loss(z_d, code_d, pixels)
        optimise_d.zero_grad()
        loss_d.backward()
        optimise_d.step()

        fake_g = generator(z_g)
        code_g = discriminator.encoder(fake_g)
        loss_fake = pixels * reconstruction_loss(fake_g, discriminator.decoder(code_g)).mean()
        loss_g = loss_fake
        if config.latent_constraint:
            loss_g = loss_g + config.latent_constraint * latent_loss(z_g, code_g, pixels)
        if config.pulling_away:
            loss_g = loss_g + config.pulling_away * pixels * pulling_away(code_g)
        if config.diversity_floor:
            loss_g = loss_g + config.diversity_floor * pixels * spread_shortfall(real, fake_g)
        if config.nearest_floor:
            loss_g = loss_g + config.nearest_floor * pixels * nearest_shortfall(real, fake_g)
        optimise_g.zero_grad()
        loss_g.backward()
        optimise_g.step()

        balance = config.gamma * loss_real.item() - loss_fake.item()
        k = min(max(k + config.lambda_k * balance, 0.0), 1.0)
        for name, value in (("m", loss_real.item() + abs(balance)), ("k", k),
                            ("loss_real", loss_real.item()), ("loss_fake", loss_fake.item()),
                            ("learning_rate", learning_rate)):
            history[name].append(value)
        if (step + 1) % config.stall_window == 0:
            window = float(np.mean(history["m"][-config.stall_window:]))
            if best_window < float("inf") and window >= config.stall_ratio * best_window:
                learning_rate = max(learning_rate / 2, config.min_learning_rate)
                for optimiser in (optimise_g, optimise_d):
                    for group in optimiser.param_groups:
                        group["lr"] = learning_rate
            best_window = min(best_window, window)
            if progress:
                progress(step + 1, window, k, learning_rate, time.monotonic() - started)
    generator.eval()
    discriminator.eval()
    return Trained(generator, discriminator, history, snapshots, time.monotonic() - started)


def latent_loss(z, code, pixels):
    """BEGAN-CS's constraint |z - Enc(G(z))|, the mean over the code's entries scaled like L."""
    return pixels * (z - code).abs().mean()


def _generate(generator, z):
    generator.eval()
    with torch.no_grad():
        images = generator(z).numpy()
    generator.train()
    return images
