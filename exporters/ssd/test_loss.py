import pytest
import torch

from exporters.ssd.loss import hard_negatives, multibox_loss


def test_hard_negative_mining_keeps_the_hardest_three_negatives_per_positive():
    loss = torch.tensor([[0.1, 0.9, 0.2, 0.8, 0.3, 0.7, 0.4, 5.0, 0.05]])
    positives = torch.zeros_like(loss, dtype=torch.bool)
    positives[0, 7] = True
    kept = hard_negatives(loss, positives)
    assert kept.sum().item() == 3
    assert kept[0].nonzero().flatten().tolist() == [1, 3, 5]
    assert not kept[0, 7]


def test_mining_counts_positives_per_image_and_keeps_none_without_positives():
    loss = torch.rand(2, 100)
    positives = torch.zeros(2, 100, dtype=torch.bool)
    positives[0, :5] = True
    kept = hard_negatives(loss, positives)
    assert kept[0].sum().item() == 15 and kept[1].sum().item() == 0


def test_the_all_negatives_ablation_keeps_every_negative():
    positives = torch.zeros(1, 10, dtype=torch.bool)
    positives[0, 0] = True
    assert hard_negatives(torch.rand(1, 10), positives, None).sum().item() == 9


def test_loss_is_confidence_plus_localisation_over_the_number_of_matches():
    classes = torch.tensor([[1, 0, 0, 0, 0, 2, 0, 0, 0, 0]])
    targets = torch.zeros(1, 10, 4)
    boxes = torch.full((1, 10, 4), 0.5)
    logits = torch.zeros(1, 10, 4)
    total, confidence, localisation = multibox_loss(boxes, logits, classes, targets)
    # Uniform logits: each kept prior (2 positives + 6 negatives) costs log 4.
    assert confidence.item() == pytest.approx(8 * torch.log(torch.tensor(4.0)).item() / 2)
    # Smooth L1 of 0.5 is 0.125 per coordinate, 4 coordinates per positive.
    assert localisation.item() == pytest.approx(2 * 4 * 0.125 / 2)
    assert total.item() == pytest.approx(confidence.item() + localisation.item())
