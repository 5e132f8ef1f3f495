import numpy as np
import pytest

from exporters.shapes.scenes import SceneConfig
from exporters.shapes.video import generate_video

SMALL = SceneConfig(width=96, height=96)


def test_video_keeps_the_same_shapes_and_track_ids_in_every_frame():
    video = generate_video(SMALL, 0, 6)
    first = video[0]
    assert len(video) == 6
    for frame in video:
        np.testing.assert_array_equal(frame.ids, np.arange(len(first.ids)))
        np.testing.assert_array_equal(frame.scene.labels, first.scene.labels)


def test_shapes_move_at_constant_velocity_until_they_bounce_and_stay_in_the_frame():
    video = generate_video(SMALL, 1, 40, max_speed=0.05)
    centres = np.array([[(s.cx, s.cy) for s in frame.scene.shapes] for frame in video])
    steps = np.abs(np.diff(centres, axis=0))
    # Speed per axis never changes except at a bounce, where only the direction flips.
    assert np.all(steps <= 0.05 * 96 + 1e-6)
    assert np.any(steps > 0)
    for frame in video:
        assert np.all((frame.scene.boxes >= 0) & (frame.scene.boxes <= 1))


def test_the_same_seed_repeats_the_video():
    a, b = generate_video(SMALL, 2, 3), generate_video(SMALL, 2, 3)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x.scene.image, y.scene.image)


def test_an_empty_video_is_refused():
    with pytest.raises(ValueError, match="at least 1 frame"):
        generate_video(SMALL, 0, 0)
