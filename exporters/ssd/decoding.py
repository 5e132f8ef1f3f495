"""The reference decoder the Java side reproduces: raw heads -> scored, class-wise NMS'd boxes.

Per image:
1. boxes: ``cx = pcx + dx * v0 * pw``, ``cy = pcy + dy * v0 * ph``, ``w = pw * exp(dw * v1)``,
   ``h = ph * exp(dh * v1)``; corners ``cx -+ w / 2``, ``cy -+ h / 2`` clipped to [0, 1];
2. scores: softmax over the 1 + C logits of each prior;
3. for each class c >= 1: keep priors with score > ``score_threshold``; greedy NMS in order of
   score descending (ties: lower prior index first), dropping a box whose IoU with an already
   kept box of the same class is > ``nms_iou_threshold`` (IoU from continuous areas, no +1);
4. all classes' survivors sorted by score descending (ties: lower class, then lower prior
   index), the first ``top_k`` returned.
"""

from dataclasses import dataclass

import numpy as np
import torch

from exporters.ssd.boxes import VARIANCES, decode

SCORE_THRESHOLD = 0.01
NMS_IOU_THRESHOLD = 0.45
TOP_K = 200
# Detections reported downstream (to Kafka) by default; evaluation uses SCORE_THRESHOLD.
OUTPUT_THRESHOLD = 0.3


@dataclass(frozen=True)
class Detections:
    """One image's detections, sorted by score descending."""

    boxes: np.ndarray  # float32 n x 4, normalised corners, clipped to [0, 1]
    scores: np.ndarray  # float32 n
    labels: np.ndarray  # int64 n, 0-based class index (logit column - 1)


def detect(boxes, logits, priors, score_threshold=SCORE_THRESHOLD,
           nms_iou_threshold=NMS_IOU_THRESHOLD, top_k=TOP_K, variances=VARIANCES):
    """Decodes a batch of raw heads (torch tensors) into one ``Detections`` per image."""
    with torch.no_grad():
        decoded = decode(boxes.float(), priors, variances).clamp(0.0, 1.0).numpy()
        scores = torch.softmax(logits.float(), dim=-1).numpy()
    return [
        detect_one(decoded[i], scores[i], score_threshold, nms_iou_threshold, top_k)
        for i in range(len(decoded))
    ]


def detect_one(corners, scores, score_threshold, nms_iou_threshold, top_k):
    kept_boxes, kept_scores, kept_labels, kept_priors = [], [], [], []
    for column in range(1, scores.shape[1]):
        candidates = np.flatnonzero(scores[:, column] > score_threshold)
        # Stable sort on -score keeps the lower prior index first among equal scores.
        candidates = candidates[np.argsort(-scores[candidates, column], kind="stable")]
        keep = nms(corners[candidates], nms_iou_threshold)
        chosen = candidates[keep]
        kept_boxes.append(corners[chosen])
        kept_scores.append(scores[chosen, column])
        kept_labels.append(np.full(len(chosen), column - 1, dtype=np.int64))
        kept_priors.append(chosen)
    boxes = np.concatenate(kept_boxes).astype(np.float32)
    scores = np.concatenate(kept_scores).astype(np.float32)
    labels = np.concatenate(kept_labels)
    prior_index = np.concatenate(kept_priors)
    order = np.lexsort((prior_index, labels, -scores))[:top_k]
    return Detections(boxes[order], scores[order], labels[order])


def nms(corners, iou_threshold):
    """Greedy NMS over boxes already sorted by score; returns the kept indices in that order."""
    kept = []
    suppressed = np.zeros(len(corners), dtype=bool)
    areas = np.clip(corners[:, 2] - corners[:, 0], 0, None) * np.clip(
        corners[:, 3] - corners[:, 1], 0, None)
    for index in range(len(corners)):
        if suppressed[index]:
            continue
        kept.append(index)
        rest = index + 1 + np.flatnonzero(~suppressed[index + 1:])
        if len(rest) == 0:
            continue
        top_left = np.maximum(corners[index, :2], corners[rest, :2])
        bottom_right = np.minimum(corners[index, 2:], corners[rest, 2:])
        intersection = np.clip(bottom_right - top_left, 0, None).prod(axis=1)
        union = areas[index] + areas[rest] - intersection
        iou = intersection / np.maximum(union, 1e-12)
        suppressed[rest[iou > iou_threshold]] = True
    return np.array(kept, dtype=np.int64)
