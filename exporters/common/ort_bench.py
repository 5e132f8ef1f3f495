"""Raw ONNX Runtime throughput of shipped models, per execution provider and batch size.

For machines with a GPU and Python's onnxruntime (the development machines have neither):
``python3 -m exporters.common.ort_bench models/ssd/1 models/dgex/1``. Prints one line per
provider and batch size: rows per second, median milliseconds per run.
"""

import argparse
import json
import time
from pathlib import Path

import numpy as np


def _feeds(session, batch, rng):
    feeds = {}
    for tensor in session.get_inputs():
        shape = [batch] + [int(d) for d in tensor.shape[1:]]
        feeds[tensor.name] = rng.standard_normal(shape).astype(np.float32)
    return feeds


def bench(model_dir, provider, batches, seconds):
    import onnxruntime as ort

    session = ort.InferenceSession(str(Path(model_dir) / "model.onnx"), providers=[provider])
    used = session.get_providers()[0]
    rng = np.random.default_rng(0)
    rows = []
    for batch in batches:
        feeds = _feeds(session, batch, rng)
        for _ in range(5):
            session.run(None, feeds)
        times = []
        start = time.perf_counter()
        while time.perf_counter() - start < seconds:
            began = time.perf_counter()
            session.run(None, feeds)
            times.append(time.perf_counter() - began)
        rows.append(
            {
                "model": Path(model_dir).parent.name,
                "provider": used,
                "batch": batch,
                "rows_per_s": batch * len(times) / sum(times),
                "median_ms": 1000 * float(np.median(times)),
            }
        )
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("models", nargs="+")
    parser.add_argument("--batches", default="1,2,4,8,16,32,64,128")
    parser.add_argument("--seconds", type=float, default=1.0)
    parser.add_argument("--providers", default="CUDAExecutionProvider,CPUExecutionProvider")
    args = parser.parse_args()
    batches = [int(b) for b in args.batches.split(",")]
    for model in args.models:
        for provider in args.providers.split(","):
            for row in bench(model, provider, batches, args.seconds):
                print(json.dumps(row))


if __name__ == "__main__":
    main()
