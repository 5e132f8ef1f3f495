import numpy as np
import pytest
import torch

from exporters.ssd.boxes import encode
from exporters.ssd.decoding import detect, nms


def logits_for(scores):
    """Logits whose softmax is ``scores`` (rows sum to 1)."""
    return torch.log(torch.tensor(scores, dtype=torch.float32))


def test_nms_drops_overlapping_boxes_and_keeps_separate_ones_in_score_order():
    boxes = np.array([[0.1, 0.1, 0.4, 0.4], [0.12, 0.1, 0.42, 0.4], [0.6, 0.6, 0.8, 0.8]])
    assert nms(boxes, 0.45).tolist() == [0, 2]
    assert nms(boxes, 0.95).tolist() == [0, 1, 2]


def test_detection_suppresses_overlaps_within_a_class_but_keeps_other_classes():
    priors = torch.tensor([[0.3, 0.3, 0.2, 0.2]] * 3 + [[0.7, 0.7, 0.2, 0.2]])
    boxes = torch.zeros(1, 4, 4)  # every box is its prior
    scores = [[0.1, 0.9, 0.0, 0.0],
              [0.2, 0.8, 0.0, 0.0],  # same place, same class: suppressed
              [0.3, 0.0, 0.7, 0.0],  # same place, other class: kept
              [0.4, 0.0, 0.0, 0.6]]
    found = detect(boxes, logits_for([scores]), priors)[0]
    assert found.labels.tolist() == [0, 1, 2]
    assert found.scores.tolist() == pytest.approx([0.9, 0.7, 0.6], abs=1e-6)
    np.testing.assert_allclose(found.boxes[0], [0.2, 0.2, 0.4, 0.4], atol=1e-6)


def test_detection_applies_variances_clips_to_the_frame_and_drops_low_scores():
    priors = torch.tensor([[0.5, 0.5, 0.2, 0.2], [0.95, 0.5, 0.2, 0.2]])
    target = torch.tensor([[0.45, 0.40, 0.65, 0.70], [0.85, 0.4, 1.05, 0.6]])
    boxes = encode(target, priors)[None]
    scores = [[0.5, 0.5, 0.0, 0.0], [0.995, 0.005, 0.0, 0.0]]
    found = detect(boxes, logits_for([scores]), priors)[0]
    assert len(found.scores) == 1  # 0.005 is under the 0.01 score threshold
    np.testing.assert_allclose(found.boxes[0], target[0].numpy(), atol=1e-6)
    clipped = detect(boxes, logits_for([[[0.5, 0.5, 0, 0], [0.5, 0.5, 0, 0]]]), priors)[0]
    assert clipped.boxes.max() == pytest.approx(1.0)


def test_detection_returns_at_most_top_k_by_score():
    count = 30
    priors = torch.tensor([[(i + 0.5) / count, 0.5, 0.02, 0.02] for i in range(count)])
    scores = torch.rand(count) * 0.5 + 0.2
    table = torch.stack([1 - scores, scores, torch.zeros(count), torch.zeros(count)], dim=1)
    found = detect(torch.zeros(1, count, 4), torch.log(table)[None], priors, top_k=10)[0]
    assert len(found.scores) == 10
    assert found.scores.tolist() == pytest.approx(sorted(scores.tolist(), reverse=True)[:10])
