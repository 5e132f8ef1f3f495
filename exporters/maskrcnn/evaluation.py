"""COCO-style average precision for boxes and masks (no pycocotools here).

Per class, over all images: detections sorted by score (descending, stable), each matched greedily
to the not-yet-matched ground truth of the same class with the highest IoU at or above the
threshold (COCO's rule); precision made monotone from the right and sampled at 101 recall points
0, 0.01, ..., 1 (a recall point past the curve's end counts 0). AP@[.5:.95] is the mean over the
IoU thresholds 0.50, 0.55, ..., 0.95; a class without ground truth is left out of the means. No
crowd regions and no area ranges: every object here is a single, labelled instance.
"""

import numpy as np

IOU_THRESHOLDS = np.round(np.arange(0.5, 0.951, 0.05), 2)
RECALL_POINTS = np.linspace(0.0, 1.0, 101)


def box_iou(a, b):
    """IoU of every box in ``a`` (n x 4) with every box in ``b`` (m x 4), continuous areas."""
    a = np.asarray(a, dtype=np.float64).reshape(-1, 4)
    b = np.asarray(b, dtype=np.float64).reshape(-1, 4)
    x0 = np.maximum(a[:, None, 0], b[None, :, 0])
    y0 = np.maximum(a[:, None, 1], b[None, :, 1])
    x1 = np.minimum(a[:, None, 2], b[None, :, 2])
    y1 = np.minimum(a[:, None, 3], b[None, :, 3])
    inter = np.clip(x1 - x0, 0, None) * np.clip(y1 - y0, 0, None)
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    union = area_a[:, None] + area_b[None, :] - inter
    return np.where(union > 0, inter / np.maximum(union, 1e-12), 0.0)


def mask_iou(a, b):
    """IoU of every mask in ``a`` (n x H x W bool) with every mask in ``b`` (m x H x W bool)."""
    a = np.asarray(a, dtype=bool).reshape(len(a), -1).astype(np.float32)
    b = np.asarray(b, dtype=bool).reshape(len(b), -1).astype(np.float32)
    inter = a @ b.T
    union = a.sum(1)[:, None] + b.sum(1)[None, :] - inter
    return np.where(union > 0, inter / np.maximum(union, 1.0), 0.0)


def average_precision(scored, truths_per_image, ious_per_image, threshold):
    """AP of one class at one IoU threshold.

    ``scored``: (score, image, detection index) per detection of the class; ``truths_per_image``:
    the class's ground-truth count per image; ``ious_per_image[image]``: detections x truths IoU.
    """
    total = sum(truths_per_image.values())
    if total == 0:
        return None
    order = sorted(scored, key=lambda item: -item[0])
    matched = {image: np.zeros(count, dtype=bool) for image, count in truths_per_image.items()}
    hits = np.zeros(len(order))
    for rank, (_, image, detection) in enumerate(order):
        taken = matched.get(image)
        if taken is None or len(taken) == 0:
            continue
        ious = np.where(taken, -1.0, ious_per_image[image][detection])
        best = int(np.argmax(ious))
        if ious[best] >= threshold:
            taken[best] = True
            hits[rank] = 1
    true_positives = np.cumsum(hits)
    recall = true_positives / total
    precision = true_positives / np.arange(1, len(order) + 1)
    for i in range(len(precision) - 2, -1, -1):
        precision[i] = max(precision[i], precision[i + 1])
    sampled = np.zeros(len(RECALL_POINTS))
    positions = np.searchsorted(recall, RECALL_POINTS, side="left")
    inside = positions < len(precision)
    sampled[inside] = precision[positions[inside]]
    return float(sampled.mean())


def coco_ap(predictions, truths, num_classes, kind):
    """Box or mask AP (``kind`` "box" or "mask") per class and mean, at [.5:.95] and at 0.5.

    ``predictions[i]``: dict with ``boxes`` (n x 4), ``labels`` (0-based), ``scores`` and, for
    masks, ``masks`` (n x H x W bool); ``truths[i]`` the same without scores. Boxes in any one unit.
    """
    per_class = {"AP": [], "AP50": [], "AP75": []}
    for label in range(num_classes):
        scored, counts, ious = [], {}, {}
        for image, (found, truth) in enumerate(zip(predictions, truths)):
            mine = np.flatnonzero(np.asarray(found["labels"]) == label)
            theirs = np.flatnonzero(np.asarray(truth["labels"]) == label)
            counts[image] = len(theirs)
            scored += [(float(found["scores"][d]), image, k) for k, d in enumerate(mine)]
            if len(mine) and len(theirs):
                if kind == "box":
                    ious[image] = box_iou(np.asarray(found["boxes"])[mine],
                                          np.asarray(truth["boxes"])[theirs])
                else:
                    ious[image] = mask_iou(np.asarray(found["masks"])[mine],
                                           np.asarray(truth["masks"])[theirs])
            else:
                ious[image] = np.zeros((len(mine), len(theirs)))
        values = [average_precision(scored, counts, ious, t) for t in IOU_THRESHOLDS]
        if values[0] is None:
            for key in per_class:
                per_class[key].append(None)
            continue
        per_class["AP"].append(float(np.mean(values)))
        per_class["AP50"].append(values[0])
        per_class["AP75"].append(values[5])
    result = {}
    for key, values in per_class.items():
        present = [v for v in values if v is not None]
        result[key] = float(np.mean(present)) if present else 0.0
        result[key + "_per_class"] = values
    return result
