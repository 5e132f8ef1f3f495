"""Scenes as instance-segmentation data, and the served preprocessing.

Frames are rendered at ``SceneConfig`` size (320 x 320, as the demo camera's) and resized to the
network's input size the way the Java side does (``FramePreprocessor``): RGB pixels 0..255 as
float32, ``torch.nn.functional.interpolate(mode="bilinear", align_corners=False)``, no
antialiasing, then ``(pixel * SCALE - MEAN[c]) / STD[c]``.

Training targets live at the input size: boxes scaled from the frame's normalised boxes, visible
masks area-averaged to the input size (soft targets; torchvision samples them with RoIAlign into
the 28 x 28 mask targets). Evaluation keeps the frame-size masks, since the served masks are pasted
at the frame's resolution.
"""

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from exporters.shapes.scenes import generate_split

SCALE = 1.0 / 255.0
MEAN = (0.5, 0.5, 0.5)
STD = (0.25, 0.25, 0.25)
# Scenes drawn at a time, so a large split never holds its frame-size pixels all at once.
_CHUNK = 100


@dataclass(frozen=True)
class SegmentationSet:
    """``inputs`` are the network's (normalised, input size); boxes are normalised 0..1."""

    inputs: torch.Tensor  # float32 N x 3 x S x S
    boxes: list  # per scene float32 n x 4, normalised full-shape corners
    labels: list  # per scene int64 n, 0-based class indices
    input_masks: list  # per scene float32 n x S x S, visible area fraction per input pixel
    frame_masks: list  # per scene bool n x H x W (frame size), or None when not kept
    images: list  # per scene uint8 H x W x 3 (frame size), or None when not kept

    def __len__(self):
        return len(self.inputs)


def preprocess(images, size):
    """uint8 frames (N x H x W x 3) -> the network input (N x 3 x size x size)."""
    pixels = torch.as_tensor(np.asarray(images)).permute(0, 3, 1, 2).float()
    if pixels.shape[-2:] != (size, size):
        pixels = F.interpolate(pixels, size=(size, size), mode="bilinear", align_corners=False)
    mean = torch.tensor(MEAN).view(1, 3, 1, 1)
    std = torch.tensor(STD).view(1, 3, 1, 1)
    return (pixels * SCALE - mean) / std


def load_split(scene_config, seed, split, count, size, keep_frames=False):
    """``count`` scenes of ``split`` as data; ``keep_frames`` keeps frame-size pixels and masks."""
    scenes = generate_split(scene_config, seed, split, count)
    inputs, boxes, labels, input_masks, frame_masks, images = [], [], [], [], [], []
    for start in range(0, count, _CHUNK):
        chunk = scenes[start : start + _CHUNK]
        inputs.append(preprocess(np.stack([scene.image for scene in chunk]), size))
        for scene in chunk:
            boxes.append(scene.boxes)
            labels.append(scene.labels)
            masks = torch.as_tensor(scene.masks, dtype=torch.float32)[:, None]
            input_masks.append(F.interpolate(masks, size=(size, size), mode="area")[:, 0])
            frame_masks.append(scene.masks if keep_frames else None)
            images.append(scene.image if keep_frames else None)
        for index in range(start, min(start + _CHUNK, count)):
            scenes[index] = None  # frees the frame-size pixels as we go
    return SegmentationSet(torch.cat(inputs), boxes, labels, input_masks, frame_masks, images)


def targets(dataset, indices, size, flip=None):
    """torchvision targets (pixel boxes at the input size, 1-based labels, soft masks)."""
    images, found = [], []
    for position, index in enumerate(indices):
        image = dataset.inputs[index]
        boxes = torch.as_tensor(dataset.boxes[index]) * size
        masks = dataset.input_masks[index]
        if flip is not None and flip[position]:
            image = image.flip(-1)
            masks = masks.flip(-1)
            boxes = torch.stack([size - boxes[:, 2], boxes[:, 1], size - boxes[:, 0], boxes[:, 3]],
                                dim=1)
        images.append(image)
        found.append({"boxes": boxes, "labels": torch.as_tensor(dataset.labels[index]) + 1,
                      "masks": masks})
    return images, found
