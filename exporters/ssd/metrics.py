"""VOC-style detection metrics: per-class all-point average precision at IoU 0.5, and their mean.

A detection is a true positive when its IoU with a not-yet-matched ground truth of its class in
the same image is >= the threshold (it takes the ground truth of highest IoU); detections are
visited in score order over the whole split. AP is the area under the precision envelope
(precision made monotonically non-increasing in recall), the VOC 2010+ definition.
"""

import numpy as np
import torch

from exporters.ssd.boxes import jaccard

IOU_THRESHOLD = 0.5


def average_precision(recall, precision):
    """All-point interpolated AP from recall/precision in score order."""
    recall = np.concatenate([[0.0], recall, [1.0]])
    precision = np.concatenate([[0.0], precision, [0.0]])
    envelope = np.maximum.accumulate(precision[::-1])[::-1]
    steps = np.flatnonzero(recall[1:] != recall[:-1])
    return float(np.sum((recall[steps + 1] - recall[steps]) * envelope[steps + 1]))


def precision_recall(detections, truths, label, iou_threshold=IOU_THRESHOLD):
    """(recall, precision) arrays for ``label`` over all images, in score order.

    ``detections``: per image a ``Detections``; ``truths``: per image ``(boxes, labels)``.
    """
    scored = []  # (score, image, box)
    positives = 0
    for image, (found, (boxes, labels)) in enumerate(zip(detections, truths)):
        positives += int(np.sum(labels == label))
        for box, score in zip(found.boxes[found.labels == label],
                              found.scores[found.labels == label]):
            scored.append((float(score), image, box))
    scored.sort(key=lambda item: -item[0])
    taken = [np.zeros(int(np.sum(labels == label)), dtype=bool) for _, labels in truths]
    hits = np.zeros(len(scored))
    for index, (_, image, box) in enumerate(scored):
        boxes, labels = truths[image]
        candidates = np.asarray(boxes)[np.asarray(labels) == label]
        if len(candidates) == 0:
            continue
        overlaps = jaccard(torch.as_tensor(box[None], dtype=torch.float32),
                           torch.as_tensor(candidates, dtype=torch.float32))[0].numpy()
        best = int(np.argmax(overlaps))
        if overlaps[best] >= iou_threshold and not taken[image][best]:
            taken[image][best] = True
            hits[index] = 1
    true_positives = np.cumsum(hits)
    recall = true_positives / max(positives, 1)
    precision = true_positives / np.maximum(np.arange(1, len(scored) + 1), 1)
    return recall, precision


def mean_average_precision(detections, truths, num_classes, iou_threshold=IOU_THRESHOLD):
    """``(mAP, [AP per class])``."""
    per_class = [
        average_precision(*precision_recall(detections, truths, label, iou_threshold))
        for label in range(num_classes)
    ]
    return float(np.mean(per_class)), per_class
