from dataclasses import replace

import numpy as np
import pytest

from exporters.shapes.scenes import CLASSES, SceneConfig, generate_split, split_rng, visible_masks

SMALL = SceneConfig(width=96, height=96)
NOISELESS = replace(SMALL, max_pixel_noise=0.0)


def test_the_same_seed_and_split_repeat_every_scene():
    first = generate_split(SMALL, 3, "train", 4)
    second = generate_split(SMALL, 3, "train", 4)
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a.image, b.image)
        np.testing.assert_array_equal(a.boxes, b.boxes)
        np.testing.assert_array_equal(a.labels, b.labels)
        np.testing.assert_array_equal(a.masks, b.masks)


def test_splits_and_seeds_give_different_scenes():
    train = generate_split(SMALL, 3, "train", 1)[0].image
    assert not np.array_equal(train, generate_split(SMALL, 3, "test", 1)[0].image)
    assert not np.array_equal(train, generate_split(SMALL, 4, "train", 1)[0].image)


def test_unknown_split_is_refused():
    with pytest.raises(ValueError, match="unknown split 'holdout'"):
        split_rng(0, "holdout")


def test_scenes_have_the_configured_size_and_valid_annotations():
    for scene in generate_split(SMALL, 0, "validation", 6):
        count = len(scene.labels)
        assert scene.image.shape == (96, 96, 3) and scene.image.dtype == np.uint8
        assert SMALL.min_shapes <= count <= SMALL.max_shapes
        assert scene.boxes.shape == (count, 4) and scene.masks.shape == (count, 96, 96)
        assert set(scene.labels.tolist()) <= set(range(len(CLASSES)))
        assert np.all(scene.boxes[:, :2] < scene.boxes[:, 2:])
        assert np.all((scene.boxes >= 0) & (scene.boxes <= 1))
        diameters = np.array([2 * shape.radius / 96 for shape in scene.shapes])
        assert np.all((diameters >= SMALL.min_size) & (diameters <= SMALL.max_size))


def test_full_shape_boxes_match_the_pixels_of_the_shape_to_within_a_pixel_or_two():
    # A triangle's sharp tip can end more than a pixel before any pixel centre lies inside it.
    for scene in generate_split(SMALL, 1, "train", 6):
        for shape, box in zip(scene.shapes, scene.boxes):
            rows, cols = np.nonzero(shape.mask(96, 96))
            pixels = np.array([cols.min(), rows.min(), cols.max() + 1, rows.max() + 1]) / 96
            np.testing.assert_allclose(pixels, box, atol=1.5 / 96)


def test_visible_masks_are_disjoint_and_show_each_shape_in_its_own_colour():
    for scene in generate_split(NOISELESS, 2, "train", 6):
        assert scene.masks.sum(axis=0).max() <= 1
        for shape, mask in zip(scene.shapes, scene.masks):
            assert np.all(scene.image[mask] == np.array(shape.colour, dtype=np.uint8))


def test_occluded_shapes_keep_the_configured_visible_share():
    for scene in generate_split(SMALL, 5, "train", 8):
        for shape, mask in zip(scene.shapes, scene.masks):
            assert mask.sum() >= SMALL.min_visible * shape.mask(96, 96).sum()


def test_later_shapes_cover_earlier_ones():
    square = np.zeros((4, 4), dtype=bool)
    square[1:3, 1:3] = True
    top = np.zeros((4, 4), dtype=bool)
    top[1, 1:3] = True
    visible = visible_masks([square, top])
    assert visible[0].sum() == 2 and visible[1].sum() == 2
    assert not np.any(visible[0] & top)
