"""Scenes as detection data, the served preprocessing, and SSD's data augmentation (sec. 2.2).

Preprocessing (what model.json declares and the Java side reproduces): the RGB frame (pixels
0..255) becomes float32, is resized to the input size by bilinear interpolation with
``align_corners=False`` and no antialiasing (``torch.nn.functional.interpolate``), then each
channel becomes ``(pixel * SCALE - MEAN[c]) / STD[c]``. For 320 -> 160 that resize is exactly
the mean of each 2 x 2 pixel block.

Augmentation, per training sample, drawn from the sample's own seeded stream:
- geometry: with probability 1/3 each, the whole frame, a random crop (SSD's sampler: side
  0.3..1 of the frame, aspect 0.5..2, minimum Jaccard overlap with some object drawn from
  {0.1, 0.3, 0.5, 0.7, 0.9}, objects kept when their centre lies in the crop, boxes clipped),
  or a zoom-out (the frame placed on a canvas 1..2 times its side, filled with its mean colour);
  one ``grid_sample`` then resamples the chosen window to the input size;
- horizontal flip with probability 1/2;
- photometric jitter: brightness +-32, contrast and saturation x0.6..1.4, and a random channel
  permutation (colour carries no class information here).
"""

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from exporters.shapes.scenes import generate_split
from exporters.ssd.boxes import jaccard

SCALE = 1.0 / 255.0
MEAN = (0.5, 0.5, 0.5)
STD = (0.25, 0.25, 0.25)

_CROP_MIN_OVERLAPS = (0.1, 0.3, 0.5, 0.7, 0.9)
_CROP_ATTEMPTS = 50


@dataclass(frozen=True)
class DetectionSet:
    images: np.ndarray  # uint8 N x H x W x 3, the source frames
    boxes: list  # per image float32 n x 4, normalised corners of the full shapes
    labels: list  # per image int64 n, 0-based class indices

    def __len__(self):
        return len(self.images)

    def truths(self):
        return list(zip(self.boxes, self.labels))


def load_split(scene_config, seed, split, count):
    scenes = generate_split(scene_config, seed, split, count)
    return DetectionSet(
        images=np.stack([scene.image for scene in scenes]),
        boxes=[scene.boxes for scene in scenes],
        labels=[scene.labels for scene in scenes],
    )


def normalise(pixels):
    """Float pixel values 0..255 (any layout with channels on axis 1) -> network input."""
    mean = torch.tensor(MEAN).view(1, 3, 1, 1)
    std = torch.tensor(STD).view(1, 3, 1, 1)
    return (pixels * SCALE - mean) / std


def preprocess(images, size):
    """uint8 N x H x W x 3 frames -> float32 N x 3 x size x size, exactly as served."""
    # Frames decoded from PNG are read-only; torch wants writable memory (copied only then).
    pixels = torch.from_numpy(np.require(images, requirements=["C", "W"]))
    pixels = pixels.permute(0, 3, 1, 2).float()
    resized = F.interpolate(pixels, size=(size, size), mode="bilinear", align_corners=False)
    return normalise(resized)


def augmented_batch(dataset, indices, size, rng):
    """A training batch: (inputs N x 3 x size x size, [boxes], [labels]) after augmentation."""
    windows, boxes, labels, flips = [], [], [], []
    for index in indices:
        window, kept_boxes, kept_labels = _random_window(
            dataset.boxes[index], dataset.labels[index], rng)
        flip = rng.random() < 0.5
        if flip:
            kept_boxes = kept_boxes[:, [2, 1, 0, 3]] * np.array([-1, 1, -1, 1]) + \
                np.array([1, 0, 1, 0])
        windows.append(window)
        boxes.append(torch.as_tensor(kept_boxes, dtype=torch.float32))
        labels.append(torch.as_tensor(kept_labels, dtype=torch.int64))
        flips.append(flip)
    pixels = torch.from_numpy(dataset.images[np.asarray(indices)]).permute(0, 3, 1, 2).float()
    sampled = _resample(pixels, np.array(windows, dtype=np.float32), size)
    flipped = torch.as_tensor(flips)
    sampled[flipped] = sampled[flipped].flip(dims=[3])
    return normalise(_photometric(sampled, rng)), boxes, labels


def _random_window(boxes, labels, rng):
    """A source window (x0, y0, x1, y1), normalised, and the boxes/labels mapped into it."""
    choice = rng.integers(3)
    if choice == 0:
        return (0.0, 0.0, 1.0, 1.0), boxes, labels
    if choice == 1:
        ratio = rng.uniform(1.0, 2.0)
        x0 = -rng.uniform(0.0, ratio - 1.0)
        y0 = -rng.uniform(0.0, ratio - 1.0)
        window = (x0, y0, x0 + ratio, y0 + ratio)
        return window, _into_window(boxes, window), labels
    return _random_crop(boxes, labels, rng)


def _random_crop(boxes, labels, rng):
    min_overlap = _CROP_MIN_OVERLAPS[rng.integers(len(_CROP_MIN_OVERLAPS))]
    for _ in range(_CROP_ATTEMPTS):
        w, h = rng.uniform(0.3, 1.0, 2)
        if not 0.5 <= w / h <= 2.0:
            continue
        x0, y0 = rng.uniform(0.0, 1.0 - w), rng.uniform(0.0, 1.0 - h)
        window = (x0, y0, x0 + w, y0 + h)
        overlaps = jaccard(torch.as_tensor([window], dtype=torch.float32),
                           torch.as_tensor(boxes, dtype=torch.float32))[0].numpy()
        if len(boxes) and overlaps.max() < min_overlap:
            continue
        centres = (boxes[:, :2] + boxes[:, 2:]) / 2
        inside = np.all((centres > [x0, y0]) & (centres < [x0 + w, y0 + h]), axis=1)
        if not inside.any():
            continue
        return window, np.clip(_into_window(boxes[inside], window), 0.0, 1.0), labels[inside]
    return (0.0, 0.0, 1.0, 1.0), boxes, labels


def _into_window(boxes, window):
    x0, y0, x1, y1 = window
    scale = np.array([x1 - x0, y1 - y0, x1 - x0, y1 - y0])
    return ((boxes - np.array([x0, y0, x0, y0])) / scale).astype(np.float32)


def _resample(pixels, windows, size):
    """Bilinear resampling of each image's window to size x size; outside the frame: its mean.

    ``grid_sample`` with ``align_corners=False`` over the window (0, 0, 1, 1) samples the same
    points as the served ``interpolate`` resize.
    """
    steps = (torch.arange(size, dtype=torch.float32) + 0.5) / size
    windows = torch.from_numpy(windows)
    xs = windows[:, 0:1] + (windows[:, 2:3] - windows[:, 0:1]) * steps
    ys = windows[:, 1:2] + (windows[:, 3:4] - windows[:, 1:2]) * steps
    grid = torch.stack(torch.broadcast_tensors(xs[:, None, :], ys[:, :, None]), dim=-1) * 2 - 1
    fill = pixels.mean(dim=(2, 3), keepdim=True)
    sampled = F.grid_sample(pixels - fill, grid, mode="bilinear", padding_mode="zeros",
                            align_corners=False)
    return sampled + fill


def _photometric(pixels, rng):
    count = len(pixels)
    brightness = torch.as_tensor(rng.uniform(-32, 32, count), dtype=torch.float32)
    contrast = torch.as_tensor(rng.uniform(0.6, 1.4, count), dtype=torch.float32)
    saturation = torch.as_tensor(rng.uniform(0.6, 1.4, count), dtype=torch.float32)
    mean = pixels.mean(dim=(1, 2, 3), keepdim=True)
    pixels = (pixels - mean) * contrast.view(-1, 1, 1, 1) + mean + brightness.view(-1, 1, 1, 1)
    grey = pixels.mean(dim=1, keepdim=True)
    pixels = (pixels - grey) * saturation.view(-1, 1, 1, 1) + grey
    order = torch.as_tensor(np.stack([rng.permutation(3) for _ in range(count)]))
    pixels = torch.gather(pixels, 1, order.view(-1, 3, 1, 1).expand_as(pixels))
    return pixels.clamp(0.0, 255.0)
