import numpy as np
import pytest

from exporters.dgex.data import (
    LOG2_CEILING,
    LOG2_FLOOR,
    GeneratorConfig,
    draw_split,
    generate,
    landmark_ids,
    make_world,
    target_ids,
)
from exporters.dgex.model import LinearRegression, mean_absolute_error

SMALL = GeneratorConfig(landmarks=40, targets=60, programs=5, interactions=4, seed=3)
SIZES = {"train": 300, "validation": 50, "test": 50}


@pytest.fixture(scope="module")
def dataset():
    return generate(SMALL, SIZES)


def test_generator_is_deterministic_for_a_seed(dataset):
    again = generate(SMALL, SIZES)
    np.testing.assert_array_equal(again.train.landmarks, dataset.train.landmarks)
    np.testing.assert_array_equal(again.test.targets, dataset.test.targets)


def test_another_seed_gives_other_samples(dataset):
    other = generate(GeneratorConfig(**{**SMALL.__dict__, "seed": 4}), SIZES)
    assert not np.allclose(other.train.landmarks, dataset.train.landmarks)


def test_a_split_drawn_alone_equals_that_split_of_the_whole_dataset(dataset):
    test = draw_split(make_world(SMALL), SMALL, "test", SIZES["test"])
    np.testing.assert_array_equal(test.landmarks, dataset.test.landmarks)
    np.testing.assert_array_equal(test.targets, dataset.test.targets)


def test_splits_have_the_requested_sizes_and_gene_counts(dataset):
    for name, count in SIZES.items():
        split = getattr(dataset, name)
        assert split.landmarks.shape == (count, SMALL.landmarks)
        assert split.targets.shape == (count, SMALL.targets)
        assert split.landmarks.dtype == split.targets.dtype == np.float32


def test_values_lie_on_a_microarray_log2_scale_with_gene_specific_means(dataset):
    values = np.concatenate([dataset.train.landmarks, dataset.train.targets], axis=1)
    assert LOG2_FLOOR <= values.min() and values.max() <= LOG2_CEILING
    gene_means = values.mean(axis=0)
    assert gene_means.max() - gene_means.min() > 4.0


def test_genes_are_correlated_through_a_few_programs(dataset):
    standardised = dataset.train.landmarks - dataset.train.landmarks.mean(axis=0)
    standardised /= standardised.std(axis=0)
    variance = np.linalg.svd(standardised, compute_uv=False) ** 2
    # Five programs plus noise: the top five components hold most of the variance.
    assert variance[: SMALL.programs].sum() / variance.sum() > 0.7


def test_nonlinear_responses_leave_error_that_linear_regression_cannot_explain():
    def linear_error(response_mix):
        config = GeneratorConfig(**{**SMALL.__dict__, "response_mix": response_mix})
        data = generate(config, {"train": 2000, "validation": 10, "test": 500})
        fitted = LinearRegression().fit(data.train.landmarks, data.train.targets)
        return mean_absolute_error(fitted.predict(data.test.landmarks), data.test.targets)

    almost_linear = (1000.0, 0.001, 0.001)
    assert linear_error(SMALL.response_mix) > 1.3 * linear_error(almost_linear)


def test_gene_ids_are_stable_and_zero_padded():
    assert landmark_ids(943)[0] == "LM0001" and landmark_ids(943)[-1] == "LM0943"
    assert target_ids(9520)[0] == "TG00001" and target_ids(9520)[-1] == "TG09520"
    assert len(set(target_ids(9520))) == 9520
