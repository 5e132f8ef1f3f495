import pytest
import torch

from exporters.ssd.boxes import (
    PriorConfig,
    centres,
    corners,
    decode,
    encode,
    jaccard,
    make_priors,
    match,
)


def test_prior_count_is_locations_times_priors_per_location():
    config = PriorConfig()
    priors = make_priors(config)
    assert config.per_location == 4
    assert priors.shape == (config.count, 4)
    assert config.count == (20 * 20 + 10 * 10 + 5 * 5 + 3 * 3) * 4 == 2136


def test_priors_are_centred_in_their_cells_and_sized_by_the_map_scales():
    config = PriorConfig()
    priors = make_priors(config)
    assert torch.all((priors[:, :2] > 0) & (priors[:, :2] < 1))
    first_map = priors[: 20 * 20 * 4]
    assert first_map[0].tolist() == pytest.approx([0.025, 0.025, 0.07, 0.07])
    assert first_map[1, 2].item() == pytest.approx((0.07 * 0.15) ** 0.5)
    assert first_map[2, 2:].tolist() == pytest.approx([0.07 * 2 ** 0.5, 0.07 / 2 ** 0.5])
    assert first_map[4, :2].tolist() == pytest.approx([0.075, 0.025])  # next column, same row
    last_map = priors[-3 * 3 * 4:]
    assert last_map[-1, :2].tolist() == pytest.approx([5 / 6, 5 / 6])
    assert last_map[0, 2].item() == pytest.approx(0.5)


def test_a_prior_config_needs_one_scale_more_than_maps():
    with pytest.raises(ValueError, match="2 feature maps need 3 scales, got 2"):
        PriorConfig(feature_maps=(4, 2), scales=(0.2, 0.5))


def test_encoding_with_variances_then_decoding_returns_the_boxes():
    priors = make_priors(PriorConfig())[:50]
    boxes = corners(priors * torch.tensor([1.03, 0.98, 1.4, 0.7]))
    offsets = encode(boxes, priors)
    assert torch.allclose(decode(offsets, priors), boxes, atol=1e-6)
    # Variances scale the targets: a centre shift of 0.1 * w is an offset of 1.
    shifted = corners(priors + torch.stack([0.1 * priors[:, 2], torch.zeros(50), torch.zeros(50),
                                            torch.zeros(50)], dim=1))
    assert torch.allclose(encode(shifted, priors)[:, 0], torch.ones(50), atol=1e-5)


def test_corner_and_centre_forms_round_trip():
    box = torch.tensor([[0.1, 0.2, 0.5, 0.4]])
    assert torch.allclose(centres(box), torch.tensor([[0.3, 0.3, 0.4, 0.2]]))
    assert torch.allclose(corners(centres(box)), box)


def test_jaccard_of_identical_disjoint_and_half_overlapping_boxes():
    a = torch.tensor([[0.0, 0.0, 0.2, 0.2]])
    b = torch.tensor([[0.0, 0.0, 0.2, 0.2], [0.5, 0.5, 0.6, 0.6], [0.1, 0.0, 0.3, 0.2]])
    assert jaccard(a, b)[0].tolist() == pytest.approx([1.0, 0.0, 1 / 3])


def test_matching_gives_every_ground_truth_its_best_prior_even_below_the_threshold():
    priors = make_priors(PriorConfig())
    # Too small and thin for any prior to reach IoU 0.5.
    truths = torch.tensor([[0.40, 0.40, 0.42, 0.46], [0.1, 0.1, 0.5, 0.5]])
    labels = torch.tensor([2, 0])
    classes, matched = match(truths, labels, priors)
    overlaps = jaccard(truths, corners(priors))
    assert overlaps[0].max() < 0.5
    best = overlaps.argmax(dim=1)
    assert classes[best].tolist() == [3, 1]
    assert torch.equal(matched[best], truths)


def test_matching_takes_every_prior_over_the_threshold_and_leaves_the_rest_background():
    priors = make_priors(PriorConfig())
    truths = torch.tensor([[0.1, 0.1, 0.5, 0.5]])
    classes, _ = match(truths, torch.tensor([1]), priors)
    overlaps = jaccard(truths, corners(priors))[0]
    assert torch.equal(classes > 0, overlaps >= 0.5)
    assert set(classes.unique().tolist()) == {0, 2}


def test_an_image_without_objects_is_all_background():
    classes, _ = match(torch.zeros(0, 4), torch.zeros(0, dtype=torch.int64),
                       make_priors(PriorConfig()))
    assert int(classes.sum()) == 0
