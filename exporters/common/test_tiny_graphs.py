from pathlib import Path

import onnx
from onnx import checker

from exporters.common.tiny_graphs import TARGET, write_all

COMMITTED = Path(__file__).resolve().parents[2] / TARGET


def _files(root):
    return {p.relative_to(root): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_the_committed_tiny_models_are_what_the_generator_writes(tmp_path):
    assert _files(write_all(tmp_path)) == _files(COMMITTED)


def test_every_committed_tiny_graph_passes_the_onnx_checker():
    graphs = sorted(COMMITTED.rglob("model.onnx"))
    assert graphs
    for graph in graphs:
        checker.check_model(onnx.load(graph), full_check=True)
