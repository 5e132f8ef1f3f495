import numpy as np

from exporters.maskrcnn.rle import decode, encode


def test_counts_run_down_the_columns_and_start_with_zeros():
    mask = np.array([[0, 1], [0, 1], [1, 0]], dtype=bool)
    # Column 0 top to bottom: 0 0 1, column 1: 1 1 0.
    assert encode(mask) == [2, 3, 1]
    assert encode(np.ones((2, 2), bool)) == [0, 4]
    assert encode(np.zeros((2, 3), bool)) == [6]


def test_decoding_inverts_encoding():
    rng = np.random.default_rng(0)
    for _ in range(20):
        mask = rng.random((7, 5)) < 0.4
        assert np.array_equal(decode(encode(mask), 7, 5), mask)
