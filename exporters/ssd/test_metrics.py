import numpy as np
import pytest

from exporters.ssd.decoding import Detections
from exporters.ssd.metrics import average_precision, mean_average_precision

TRUTHS = [
    (np.array([[0.1, 0.1, 0.3, 0.3], [0.5, 0.5, 0.9, 0.9]]), np.array([0, 2])),
    (np.array([[0.2, 0.2, 0.6, 0.6]]), np.array([1])),
]


def detections(rows):
    rows = np.array(rows, dtype=np.float32).reshape(-1, 6)
    return Detections(rows[:, :4], rows[:, 4], rows[:, 5].astype(np.int64))


def test_perfect_predictions_have_a_map_of_one():
    perfect = [detections([[*box, 0.9, label] for box, label in zip(*truth)])
               for truth in TRUTHS]
    mean_ap, per_class = mean_average_precision(perfect, TRUTHS, 3)
    assert mean_ap == 1.0 and per_class == [1.0, 1.0, 1.0]


def test_duplicates_and_misplaced_boxes_are_false_positives():
    found = [
        detections([[0.1, 0.1, 0.3, 0.3, 0.9, 0], [0.1, 0.1, 0.3, 0.3, 0.95, 0],
                    [0.5, 0.5, 0.9, 0.9, 0.8, 2]]),
        detections([[0.7, 0.7, 0.9, 0.9, 0.99, 1], [0.2, 0.2, 0.6, 0.6, 0.5, 1]]),
    ]
    _, per_class = mean_average_precision(found, TRUTHS, 3)
    assert per_class[0] == 1.0  # the duplicate ranks below the match: recall already 1
    assert per_class[1] == pytest.approx(0.5)  # a false positive ranked first halves precision
    assert per_class[2] == 1.0


def test_missed_objects_cap_recall():
    assert average_precision(np.array([0.5]), np.array([1.0])) == pytest.approx(0.5)
    found = [detections([[0.1, 0.1, 0.3, 0.3, 0.9, 0]]), detections([])]
    mean_ap, _ = mean_average_precision(found, TRUTHS, 3)
    assert mean_ap == pytest.approx(1 / 3)
