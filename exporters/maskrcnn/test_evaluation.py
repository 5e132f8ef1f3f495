import numpy as np
import pytest

from exporters.maskrcnn.evaluation import average_precision, box_iou, coco_ap, mask_iou


def _square(size, x0, y0, x1, y1):
    mask = np.zeros((size, size), dtype=bool)
    mask[y0:y1, x0:x1] = True
    return mask


def test_a_perfect_detector_scores_one_at_every_threshold():
    truth = {"boxes": np.array([[0, 0, 4, 4], [5, 5, 9, 9]], float), "labels": np.array([0, 1]),
             "masks": np.stack([_square(10, 0, 0, 4, 4), _square(10, 5, 5, 9, 9)])}
    found = dict(truth, scores=np.array([0.9, 0.8]))
    for kind in ("box", "mask"):
        result = coco_ap([found], [truth], 2, kind)
        assert result["AP"] == pytest.approx(1.0)
        assert result["AP50"] == pytest.approx(1.0)


def test_a_false_positive_ranked_first_costs_precision_at_every_recall():
    counts = {0: 1}
    ious = {0: np.array([[0.0], [1.0]])}
    # The miss comes first: precision at the only recall level is 1/2.
    assert average_precision([(0.9, 0, 0), (0.8, 0, 1)], counts, ious, 0.5) == pytest.approx(0.5)
    # Ranked after the hit it costs nothing.
    assert average_precision([(0.7, 0, 0), (0.8, 0, 1)], counts, ious, 0.5) == pytest.approx(1.0)


def test_half_the_objects_found_gives_the_recall_points_up_to_one_half():
    counts = {0: 2}
    ious = {0: np.array([[1.0, 0.0]])}
    # Recall points 0, 0.01, ..., 0.5 (51 of 101) have precision 1.
    assert average_precision([(0.9, 0, 0)], counts, ious, 0.5) == pytest.approx(51 / 101)


def test_one_ground_truth_is_matched_once_and_duplicates_are_false_positives():
    counts = {0: 1}
    ious = {0: np.array([[0.9], [0.95]])}
    # Second detection is a duplicate: precision 1 at recall 1 still (it comes after the hit).
    assert average_precision([(0.9, 0, 0), (0.8, 0, 1)], counts, ious, 0.5) == pytest.approx(1.0)


def test_the_iou_threshold_decides_between_ap50_and_the_strict_thresholds():
    truth = {"boxes": np.array([[0, 0, 10, 10]], float), "labels": np.array([0])}
    # IoU 0.6 with the truth: a hit at 0.5 and 0.55, a miss from 0.65 on.
    found = {"boxes": np.array([[0, 0, 10, 6]], float), "labels": np.array([0]),
             "scores": np.array([1.0])}
    result = coco_ap([found], [truth], 1, "box")
    assert result["AP50"] == pytest.approx(1.0)
    assert result["AP"] == pytest.approx(0.3)
    assert result["AP75"] == pytest.approx(0.0)


def test_classes_without_ground_truth_are_left_out_of_the_mean():
    truth = {"boxes": np.array([[0, 0, 4, 4]], float), "labels": np.array([0])}
    found = {"boxes": np.array([[0, 0, 4, 4]], float), "labels": np.array([0]),
             "scores": np.array([0.5])}
    result = coco_ap([found], [truth], 3, "box")
    assert result["AP50"] == pytest.approx(1.0)
    assert result["AP50_per_class"][1:] == [None, None]


def test_ious_of_boxes_and_masks_agree_on_pixel_aligned_squares():
    a = np.array([[0, 0, 4, 4]], float)
    b = np.array([[2, 0, 6, 4]], float)
    assert box_iou(a, b)[0, 0] == pytest.approx(8 / 24)
    masks_a = _square(8, 0, 0, 4, 4)[None]
    masks_b = _square(8, 2, 0, 6, 4)[None]
    assert mask_iou(masks_a, masks_b)[0, 0] == pytest.approx(8 / 24)
