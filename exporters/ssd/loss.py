"""The SSD objective (sec. 2.2): softmax confidence loss + smooth L1 localisation, over N matches.

Hard negative mining (sec. 2.2, "Hard negative mining"): of the unmatched priors only the ones
with the highest background loss count, at most ``negatives_per_positive`` (3) per match in the
same image. ``negatives_per_positive=None`` is the ablation that keeps every negative.
"""

import torch
import torch.nn.functional as F

from exporters.ssd.boxes import encode, match

NEGATIVES_PER_POSITIVE = 3


def match_batch(truths, labels, priors, threshold=0.5):
    """Per-image matching stacked into (batch, P) classes and (batch, P, 4) regression targets."""
    classes, targets = [], []
    for boxes, image_labels in zip(truths, labels):
        image_classes, matched = match(boxes, image_labels, priors, threshold)
        classes.append(image_classes)
        targets.append(encode(matched, priors))
    return torch.stack(classes), torch.stack(targets)


def hard_negatives(background_loss, positives, negatives_per_positive=NEGATIVES_PER_POSITIVE):
    """Mask (batch, P) of the negatives kept: per image the ``k * positives`` highest losses.

    An image without any match keeps no negatives (as in the paper's implementation); the
    ablation ``negatives_per_positive=None`` keeps all of them.
    """
    negatives = ~positives
    if negatives_per_positive is None:
        return negatives
    loss = background_loss.detach().masked_fill(positives, -1.0)
    rank = loss.argsort(dim=1, descending=True).argsort(dim=1)
    limit = (negatives_per_positive * positives.sum(dim=1, keepdim=True)).clamp(
        max=positives.shape[1] - 1)
    return negatives & (rank < limit)


def multibox_loss(boxes, logits, classes, targets, negatives_per_positive=NEGATIVES_PER_POSITIVE):
    """Returns (total, confidence, localisation), each summed over the batch and divided by N.

    ``boxes``/``logits`` are the raw heads, ``classes``/``targets`` from ``match_batch``. With no
    match in the whole batch N is taken as 1 (the paper sets the loss to 0; this keeps the
    negatives' gradient in the all-negatives ablation and is 0 otherwise).
    """
    positives = classes > 0
    matches = positives.sum().clamp(min=1).float()
    localisation = F.smooth_l1_loss(boxes[positives], targets[positives], reduction="sum")
    per_prior = F.cross_entropy(logits.flatten(0, 1), classes.flatten(), reduction="none")
    per_prior = per_prior.view(classes.shape)
    kept = positives | hard_negatives(per_prior, positives, negatives_per_positive)
    confidence = per_prior[kept].sum()
    return (confidence + localisation) / matches, confidence / matches, localisation / matches
