import numpy as np
import pytest
import torch
from torch import nn

from exporters.dgex.model import (
    DGEX,
    KNNRegression,
    LinearRegression,
    RawScaleDGEX,
    Standardiser,
    mean_absolute_error,
    per_gene_mean_absolute_error,
)

RNG = np.random.default_rng(0)


def test_standardiser_maps_training_genes_to_zero_mean_and_unit_variance():
    values = RNG.normal(8.0, 2.0, size=(500, 6)).astype(np.float32)
    standardised = Standardiser.fit(values)(torch.from_numpy(values)).numpy()
    np.testing.assert_allclose(standardised.mean(axis=0), 0.0, atol=1e-5)
    np.testing.assert_allclose(standardised.std(axis=0), 1.0, atol=1e-4)


def test_standardiser_inverse_undoes_it_and_a_constant_gene_stays_finite():
    values = RNG.normal(8.0, 2.0, size=(50, 3)).astype(np.float32)
    values[:, 1] = 5.0
    standardiser = Standardiser.fit(values)
    standardised = standardiser(torch.from_numpy(values))
    assert torch.isfinite(standardised).all()
    np.testing.assert_allclose(standardiser.inverse(standardised).numpy(), values, atol=1e-5)


def test_in_graph_standardisation_equals_manual_standardisation():
    landmarks = RNG.normal(8.0, 2.0, size=(40, 7)).astype(np.float32)
    targets = RNG.normal(6.0, 1.5, size=(40, 5)).astype(np.float32)
    torch.manual_seed(0)
    network = DGEX(7, 5, hidden=8, layers=2, dropout=0.1).eval()
    wrapped = RawScaleDGEX(network, Standardiser.fit(landmarks), Standardiser.fit(targets)).eval()

    manual_in = (landmarks - landmarks.mean(axis=0)) / landmarks.std(axis=0)
    with torch.no_grad():
        manual_out = network(torch.from_numpy(manual_in.astype(np.float32))).numpy()
        raw_out = wrapped(torch.from_numpy(landmarks)).numpy()
    expected = manual_out * targets.std(axis=0) + targets.mean(axis=0)
    np.testing.assert_allclose(raw_out, expected, rtol=1e-5, atol=1e-5)


def test_dgex_stacks_linear_tanh_dropout_blocks_before_a_linear_output():
    network = DGEX(10, 20, hidden=16, layers=3, dropout=0.25)
    kinds = [type(layer) for layer in network.layers]
    assert kinds == [nn.Linear, nn.Tanh, nn.Dropout] * 3 + [nn.Linear]
    assert network.layers[2].p == 0.25
    assert network(torch.zeros(4, 10)).shape == (4, 20)


def test_dgex_refuses_zero_hidden_layers():
    with pytest.raises(ValueError, match="at least one hidden layer"):
        DGEX(10, 20, hidden=16, layers=0, dropout=0.1)


def test_linear_regression_recovers_an_exact_affine_map():
    landmarks = RNG.normal(size=(200, 4))
    targets = landmarks @ RNG.normal(size=(4, 3)) + np.array([7.0, 8.0, 9.0])
    fitted = LinearRegression(ridge=1e-9).fit(landmarks, targets)
    np.testing.assert_allclose(fitted.predict(landmarks), targets, atol=1e-3)


def test_knn_with_k_one_returns_the_nearest_training_profile():
    train_landmarks = np.array([[0.0, 0.0], [10.0, 10.0]], dtype=np.float32)
    train_targets = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], dtype=np.float32)
    knn = KNNRegression(k=1).fit(train_landmarks, train_targets)
    predicted = knn.predict(np.array([[9.0, 9.5], [0.5, -1.0]], dtype=np.float32))
    np.testing.assert_array_equal(predicted, train_targets[[1, 0]])


def test_knn_chooses_the_k_with_the_lowest_validation_error():
    landmarks = RNG.normal(size=(300, 3)).astype(np.float32)
    targets = (landmarks.sum(axis=1, keepdims=True) + RNG.normal(size=(300, 1))).astype(np.float32)
    knn = KNNRegression().fit(landmarks[:250], targets[:250])
    errors = knn.fit_k(landmarks[250:], targets[250:], candidates=[1, 3, 10])
    for k, error in errors.items():
        predicted = KNNRegression(k).fit(landmarks[:250], targets[:250]).predict(landmarks[250:])
        assert error == pytest.approx(mean_absolute_error(predicted, targets[250:]), rel=1e-5)
    assert knn.k == min(errors, key=errors.get)
    assert knn.k != 1  # with noisy targets, averaging neighbours beats copying one


def test_mean_absolute_error_averages_over_samples_and_genes():
    predicted = np.array([[1.0, 2.0], [3.0, 4.0]])
    actual = np.array([[1.0, 1.0], [5.0, 4.0]])
    assert mean_absolute_error(predicted, actual) == 0.75
    np.testing.assert_array_equal(per_gene_mean_absolute_error(predicted, actual), [1.0, 0.5])
