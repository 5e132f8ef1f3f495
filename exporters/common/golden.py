"""Golden input/output pairs that the Java side replays through ONNX Runtime (parity test)."""

import json
from pathlib import Path

import numpy as np

GOLDEN_FILE = "golden.json"


def write_golden(version_dir, input_name, output_name, inputs, outputs, atol, rtol):
    """Writes float32 ``inputs`` and the reference ``outputs`` as JSON numbers.

    Each float32 is written as the Python float of the same value (repr round-trips exactly), so
    the replayed input is bit-identical to the one the reference outputs were computed from.
    """
    inputs = np.asarray(inputs, dtype=np.float32)
    outputs = np.asarray(outputs, dtype=np.float32)
    if len(inputs) != len(outputs):
        raise ValueError(f"{len(inputs)} golden inputs but {len(outputs)} outputs")
    golden = {
        "input": input_name,
        "output": output_name,
        "inputs": inputs.tolist(),
        "outputs": outputs.tolist(),
        "tolerance": {"atol": atol, "rtol": rtol},
    }
    path = Path(version_dir) / GOLDEN_FILE
    path.write_text(json.dumps(golden) + "\n")
    return path
