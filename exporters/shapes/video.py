"""A short seeded video: the same shapes moving at constant velocity, bouncing off the frame edges.

Each frame is a ``Scene`` (same boxes/labels/masks conventions as ``scenes``) plus ``ids``: the
track id of every shape, stable across frames (the index of the shape in the first frame's draw
order, which never changes, so occlusion order is fixed too). The background is fixed; pixel
noise is drawn anew per frame, as a camera's would be. Overlaps are allowed to change over time
(moving shapes cross), so ``min_visible`` holds only for the first frame.
"""

from dataclasses import dataclass, replace

import numpy as np

from exporters.shapes.scenes import Scene, draw_background, render, split_rng, _place_shapes


@dataclass(frozen=True)
class VideoFrame:
    scene: Scene
    ids: np.ndarray  # int64 n, track ids in draw order


def generate_video(config, seed, frames, max_speed=0.02):
    """``frames`` consecutive frames; ``max_speed`` is in frame sides per frame, per axis."""
    if frames < 1:
        raise ValueError(f"a video needs at least 1 frame, got {frames}")
    rng = split_rng(seed, "video")
    background = draw_background(config, rng)
    shapes = _place_shapes(config, rng, background)
    side = min(config.width, config.height)
    velocity = rng.uniform(-max_speed, max_speed, (len(shapes), 2)) * side
    ids = np.arange(len(shapes), dtype=np.int64)
    video = []
    for _ in range(frames):
        video.append(VideoFrame(render(config, background, shapes, rng), ids))
        shapes, velocity = _step(shapes, velocity, config.width, config.height)
    return video


def _step(shapes, velocity, width, height):
    """Moves each shape by its velocity, reflecting it (and its velocity) at the frame edges."""
    moved, velocity = [], velocity.copy()
    for index, shape in enumerate(shapes):
        x0, y0, x1, y1 = shape.box_pixels()
        dx, dy = velocity[index]
        if x0 + dx < 0 or x1 + dx > width:
            dx = -dx
        if y0 + dy < 0 or y1 + dy > height:
            dy = -dy
        velocity[index] = (dx, dy)
        # After the reflection the shape stays inside unless it is faster than the free space;
        # clamp for that case so boxes stay within the frame.
        dx = float(np.clip(dx, -x0, width - x1))
        dy = float(np.clip(dy, -y0, height - y1))
        moved.append(replace(shape, cx=shape.cx + dx, cy=shape.cy + dy))
    return moved, velocity
