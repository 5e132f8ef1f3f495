"""Seeded synthetic scenes of filled circles, squares and triangles, for detection and segmentation.

A scene is an RGB frame (uint8, H x W x 3) with 1..N shapes on a flat, gradient or noise-texture
background, plus per-pixel noise. For every shape it returns:

- ``boxes``: the FULL shape's box, normalised ``(xMin, yMin, xMax, yMax)`` in 0..1 of the frame,
  exact from the geometry (not from pixels), as detection datasets label boxes (an occluded
  object keeps its whole box);
- ``labels``: class ids, 0-based indices into ``CLASSES``;
- ``masks``: H x W bool, the VISIBLE pixels of the shape after the shapes drawn later cover it.

Geometry: a shape's ``size`` is the diameter of its circumscribed circle, as a fraction of the
frame side (default 0.06..0.45). A circle is that circle; a square and an equilateral triangle
have their vertices on it, rotated by a random angle, so their boxes are at most ``size`` wide.
Every shape lies wholly inside the frame. A pixel (column x, row y) belongs to a shape when its
centre ``(x + 0.5, y + 0.5)`` does, so a mask's pixel extent matches its box to within a pixel.

Shapes are drawn in list order (later ones on top). Placement is retried until every earlier
shape keeps at least ``min_visible`` of its own area, so no object is hidden beyond recognition.
Shape colours keep a minimum distance from the local background colour, as real objects of
interest do; colour does not depend on class.

Splits: each split draws from its own stream, derived from the seed and the split name, so any
split can be regenerated alone and identically and the splits never share a scene.
"""

from dataclasses import dataclass

import numpy as np

CLASSES = ("circle", "square", "triangle")
SPLITS = ("train", "validation", "test")
_SPLIT_STREAMS = {"train": 1, "validation": 2, "test": 3, "video": 4}

# Attempts at placing one shape before the scene settles for fewer shapes.
_PLACEMENT_ATTEMPTS = 30
# Attempts at a colour far enough from the background before taking the farthest one seen.
_COLOUR_ATTEMPTS = 12


@dataclass(frozen=True)
class SceneConfig:
    """Everything that shapes the distribution of scenes; with a seed it fixes every pixel."""

    width: int = 320
    height: int = 320
    min_shapes: int = 1
    max_shapes: int = 6
    min_size: float = 0.06  # circumscribed diameter, fraction of the shorter frame side
    max_size: float = 0.45
    min_visible: float = 0.5  # fraction of an occluded shape's area that must stay visible
    min_colour_distance: float = 90.0  # RGB euclidean distance from the local background mean
    max_pixel_noise: float = 10.0  # std of per-pixel Gaussian noise, drawn per scene up to this


@dataclass(frozen=True)
class Shape:
    """One shape's geometry in pixels: centre, circumscribed radius, rotation (radians), class."""

    label: int
    cx: float
    cy: float
    radius: float
    angle: float
    colour: tuple

    def vertices(self):
        """Polygon vertices (pixels, k x 2) for squares and triangles; None for circles."""
        corners = {1: 4, 2: 3}.get(self.label)
        if corners is None:
            return None
        theta = self.angle + 2.0 * np.pi * np.arange(corners) / corners
        return np.stack([self.cx + self.radius * np.cos(theta),
                         self.cy + self.radius * np.sin(theta)], axis=1)

    def box_pixels(self):
        vertices = self.vertices()
        if vertices is None:
            return (self.cx - self.radius, self.cy - self.radius,
                    self.cx + self.radius, self.cy + self.radius)
        return (*vertices.min(axis=0), *vertices.max(axis=0))

    def mask(self, height, width):
        """Pixels whose centres lie inside the shape (H x W bool)."""
        x0, y0, x1, y1 = self.box_pixels()
        mask = np.zeros((height, width), dtype=bool)
        cols = np.arange(max(int(np.floor(x0)) - 1, 0), min(int(np.ceil(x1)) + 1, width))
        rows = np.arange(max(int(np.floor(y0)) - 1, 0), min(int(np.ceil(y1)) + 1, height))
        if len(cols) == 0 or len(rows) == 0:
            return mask
        px = cols[None, :] + 0.5
        py = rows[:, None] + 0.5
        vertices = self.vertices()
        if vertices is None:
            inside = (px - self.cx) ** 2 + (py - self.cy) ** 2 <= self.radius ** 2
        else:
            # Convex polygon, vertices in increasing angle: the interior is on the positive
            # side of every edge's cross product.
            inside = np.ones((len(rows), len(cols)), dtype=bool)
            for (ax, ay), (bx, by) in zip(vertices, np.roll(vertices, -1, axis=0)):
                inside &= (bx - ax) * (py - ay) - (by - ay) * (px - ax) >= 0
        mask[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1] = inside
        return mask


@dataclass(frozen=True)
class Scene:
    image: np.ndarray  # uint8 H x W x 3, RGB
    boxes: np.ndarray  # float32 n x 4, normalised full-shape (xMin, yMin, xMax, yMax)
    labels: np.ndarray  # int64 n, indices into CLASSES
    masks: np.ndarray  # bool n x H x W, visible pixels after occlusion
    shapes: tuple  # the Shape geometry in draw order (index i <-> row i above)


def split_rng(seed, split):
    """The random stream of one split (or of ``video``); independent of every other split."""
    if split not in _SPLIT_STREAMS:
        raise ValueError(f"unknown split {split!r}; expected one of {sorted(_SPLIT_STREAMS)}")
    return np.random.default_rng([seed, _SPLIT_STREAMS[split]])


def generate_split(config, seed, split, count):
    """``count`` scenes of ``split``; the same arguments always give the same scenes."""
    rng = split_rng(seed, split)
    return [draw_scene(config, rng) for _ in range(count)]


def draw_scene(config, rng):
    background = draw_background(config, rng)
    shapes = _place_shapes(config, rng, background)
    return render(config, background, shapes, rng)


def render(config, background, shapes, rng):
    """Paints ``shapes`` in order over ``background``, adds pixel noise, and labels the result."""
    height, width = config.height, config.width
    canvas = background.astype(np.float32).copy()
    full = [shape.mask(height, width) for shape in shapes]
    for shape, mask in zip(shapes, full):
        canvas[mask] = shape.colour
    noise = rng.uniform(0.0, config.max_pixel_noise)
    canvas += rng.normal(0.0, 1.0, canvas.shape).astype(np.float32) * noise
    image = np.clip(np.rint(canvas), 0, 255).astype(np.uint8)
    return Scene(
        image=image,
        boxes=_normalised_boxes(shapes, width, height),
        labels=np.array([shape.label for shape in shapes], dtype=np.int64),
        masks=visible_masks(full),
        shapes=tuple(shapes),
    )


def visible_masks(full_masks):
    """Each mask minus the union of the masks drawn after it (n x H x W bool)."""
    if not full_masks:
        return np.zeros((0, 0, 0), dtype=bool)
    visible = np.stack(full_masks).copy()
    covered = np.zeros_like(visible[0])
    for index in range(len(visible) - 1, -1, -1):
        visible[index] &= ~covered
        covered |= full_masks[index]
    return visible


def draw_background(config, rng):
    """Flat colour, a linear two-colour gradient, or smooth noise texture (float32 H x W x 3)."""
    height, width = config.height, config.width
    kind = rng.integers(3)
    if kind == 0:
        return np.broadcast_to(rng.uniform(0, 255, 3), (height, width, 3)).astype(np.float32)
    if kind == 1:
        start, end = rng.uniform(0, 255, (2, 3))
        direction = rng.uniform(0.0, 2.0 * np.pi)
        ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
        t = xs / width * np.cos(direction) + ys / height * np.sin(direction)
        t = (t - t.min()) / max(float(t.max() - t.min()), 1e-6)
        return (start + (end - start) * t[..., None]).astype(np.float32)
    # Noise texture: a coarse random grid of colours around a base colour, bilinearly upsampled.
    cells = int(rng.integers(3, 12))
    base = rng.uniform(40, 215, 3)
    grid = base + rng.normal(0.0, rng.uniform(10, 45), (cells + 1, cells + 1, 3))
    return np.clip(_upsample_bilinear(grid, height, width), 0, 255).astype(np.float32)


def _upsample_bilinear(grid, height, width):
    gy = np.linspace(0, grid.shape[0] - 1, height)
    gx = np.linspace(0, grid.shape[1] - 1, width)
    y0 = np.minimum(np.floor(gy).astype(int), grid.shape[0] - 2)
    x0 = np.minimum(np.floor(gx).astype(int), grid.shape[1] - 2)
    wy = (gy - y0)[:, None, None]
    wx = (gx - x0)[None, :, None]
    top = grid[y0][:, x0] * (1 - wx) + grid[y0][:, x0 + 1] * wx
    bottom = grid[y0 + 1][:, x0] * (1 - wx) + grid[y0 + 1][:, x0 + 1] * wx
    return top * (1 - wy) + bottom * wy


def draw_shape(config, rng, background, label=None):
    """One shape of a random (or the given) class, wholly inside the frame."""
    side = min(config.width, config.height)
    label = int(rng.integers(len(CLASSES))) if label is None else label
    radius = 0.5 * side * rng.uniform(config.min_size, config.max_size)
    angle = float(rng.uniform(0.0, 2.0 * np.pi)) if label != 0 else 0.0
    probe = Shape(label, 0.0, 0.0, radius, angle, (0, 0, 0))
    x0, y0, x1, y1 = probe.box_pixels()
    cx = rng.uniform(-x0, config.width - x1)
    cy = rng.uniform(-y0, config.height - y1)
    local = _local_background(background, cx, cy, radius)
    return Shape(label, float(cx), float(cy), float(radius), angle,
                 _contrasting_colour(rng, local, config.min_colour_distance))


def _place_shapes(config, rng, background):
    count = int(rng.integers(config.min_shapes, config.max_shapes + 1))
    shapes, full = [], []
    for _ in range(count):
        for _ in range(_PLACEMENT_ATTEMPTS):
            shape = draw_shape(config, rng, background)
            mask = shape.mask(config.height, config.width)
            if _keeps_earlier_visible(full, mask, config.min_visible):
                shapes.append(shape)
                full.append(mask)
                break
    return shapes


def _keeps_earlier_visible(full, new_mask, min_visible):
    if not full:
        return True
    visible = visible_masks(full + [new_mask])[:-1]
    areas = np.array([mask.sum() for mask in full], dtype=np.float64)
    kept = visible.reshape(len(full), -1).sum(axis=1) / np.maximum(areas, 1.0)
    return bool(np.all(kept >= min_visible))


def _local_background(background, cx, cy, radius):
    y0, y1 = int(max(cy - radius, 0)), int(min(cy + radius + 1, background.shape[0]))
    x0, x1 = int(max(cx - radius, 0)), int(min(cx + radius + 1, background.shape[1]))
    return background[y0:y1, x0:x1].reshape(-1, 3).mean(axis=0)


def _contrasting_colour(rng, local, min_distance):
    best, best_distance = None, -1.0
    for _ in range(_COLOUR_ATTEMPTS):
        colour = rng.integers(0, 256, 3)
        distance = float(np.linalg.norm(colour - local))
        if distance >= min_distance:
            return tuple(int(c) for c in colour)
        if distance > best_distance:
            best, best_distance = colour, distance
    return tuple(int(c) for c in best)


def _normalised_boxes(shapes, width, height):
    if not shapes:
        return np.zeros((0, 4), dtype=np.float32)
    pixels = np.array([shape.box_pixels() for shape in shapes], dtype=np.float64)
    scale = np.array([width, height, width, height], dtype=np.float64)
    return np.clip(pixels / scale, 0.0, 1.0).astype(np.float32)
