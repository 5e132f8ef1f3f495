import numpy as np
import pytest
import torch

from exporters.shapes.scenes import SceneConfig
from exporters.ssd.data import _resample, augmented_batch, load_split, normalise, preprocess

SCENES = SceneConfig(width=64, height=64)


def test_preprocessing_resizes_bilinearly_then_normalises():
    image = np.arange(4 * 4 * 3, dtype=np.uint8).reshape(1, 4, 4, 3)
    tensor = preprocess(image, 2)
    assert tensor.shape == (1, 3, 2, 2)
    # Halving with align_corners=False is the mean of each 2 x 2 block.
    block = image[0, :2, :2, 0].astype(np.float32).mean()
    assert tensor[0, 0, 0, 0].item() == pytest.approx((block / 255.0 - 0.5) / 0.25, abs=1e-6)


def test_the_whole_frame_window_resamples_exactly_like_the_served_resize():
    images = load_split(SCENES, 0, "train", 2).images
    pixels = torch.from_numpy(images).permute(0, 3, 1, 2).float()
    windows = np.array([[0, 0, 1, 1]] * 2, dtype=np.float32)
    resampled = normalise(_resample(pixels, windows, 32))
    assert torch.allclose(resampled, preprocess(images, 32), atol=1e-4)


def test_augmented_boxes_stay_normalised_and_labels_follow_them():
    data = load_split(SCENES, 0, "train", 16)
    rng = np.random.default_rng(0)
    for _ in range(4):
        inputs, boxes, labels = augmented_batch(data, np.arange(16), 32, rng)
        assert inputs.shape == (16, 3, 32, 32)
        for image_boxes, image_labels in zip(boxes, labels):
            assert len(image_boxes) == len(image_labels) >= 1
            assert torch.all(image_boxes[:, :2] < image_boxes[:, 2:])
            assert torch.all(image_boxes[:, :2] >= -1e-6) and torch.all(image_boxes <= 1 + 1e-6)


def test_augmentation_is_deterministic_for_a_seeded_stream():
    data = load_split(SCENES, 0, "train", 4)
    first = augmented_batch(data, np.arange(4), 32, np.random.default_rng(5))
    second = augmented_batch(data, np.arange(4), 32, np.random.default_rng(5))
    assert torch.equal(first[0], second[0])
    for a, b in zip(first[1], second[1]):
        assert torch.equal(a, b)
