import json

import numpy as np
import pytest

from exporters.common.golden import write_golden


def test_golden_floats_round_trip_to_the_exact_float32_values(tmp_path):
    inputs = np.random.default_rng(0).normal(size=(2, 3)).astype(np.float32)
    outputs = (inputs * 3.3).astype(np.float32)
    path = write_golden(tmp_path, "x", "y", inputs, outputs, atol=1e-4, rtol=1e-4)
    golden = json.loads(path.read_text())
    assert golden["input"] == "x" and golden["output"] == "y"
    assert golden["tolerance"] == {"atol": 1e-4, "rtol": 1e-4}
    np.testing.assert_array_equal(np.array(golden["inputs"], dtype=np.float32), inputs)
    np.testing.assert_array_equal(np.array(golden["outputs"], dtype=np.float32), outputs)


def test_golden_inputs_and_outputs_must_pair_up(tmp_path):
    with pytest.raises(ValueError, match="2 golden inputs but 1 outputs"):
        write_golden(tmp_path, "x", "y", np.zeros((2, 3)), np.zeros((1, 4)), atol=0, rtol=0)
