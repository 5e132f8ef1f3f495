"""A tiny end-to-end run of ``python -m exporters.began all`` on the committed sample."""

import json
import struct
import zlib

import numpy as np
import onnx
import pytest

from exporters.began.__main__ import main
from exporters.began.latent import latents_for_seeds
from exporters.common.manifest import sha256_of
from exporters.common.onnx_export import BATCH_AXIS, tensor_dims

TINY_RUN = ["--sample", "--steps", "6", "--sweep-steps", "3", "--stall-window", "3",
            "--batch-size", "4", "--hidden", "8", "--filters", "4", "--threads", "1"]


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    root = tmp_path_factory.mktemp("run")
    out = root / "models" / "began-generator" / "1"
    main(["all", "--work", str(root / "work"), "--out", str(out), *TINY_RUN])
    return out


def manifest(directory):
    return json.loads((directory / "model.json").read_text())


def test_both_graphs_have_a_dynamic_batch_axis_and_their_declared_shapes(shipped):
    discriminator = shipped.parent.parent / "began-discriminator" / "1"
    for directory, dims in ((shipped, [[BATCH_AXIS, 8], [BATCH_AXIS, 1, 32, 32]]),
                            (discriminator, [[BATCH_AXIS, 1, 32, 32], [BATCH_AXIS, 1]])):
        model = onnx.load(str(directory / "model.onnx"))
        assert [tensor_dims(model.graph.input[0]), tensor_dims(model.graph.output[0])] == dims
        assert manifest(directory)["sha256"] == sha256_of(directory / "model.onnx")
        assert manifest(directory)["family"].startswith("began")


def test_golden_latents_are_those_of_seeds_zero_onwards(shipped):
    golden = json.loads((shipped / "golden.json").read_text())
    assert np.array_equal(np.array(golden["inputs"], np.float32), latents_for_seeds(0, 4, 8))


def test_golden_pngs_hold_the_golden_images_pixels(shipped):
    golden = json.loads((shipped / "golden.json").read_text())
    png = (shipped / "golden" / "seed-0.png").read_bytes()
    idat_length = struct.unpack(">I", png[33:37])[0]
    rows = np.frombuffer(zlib.decompress(png[41:41 + idat_length]), np.uint8).reshape(32, 33)
    image = np.array(golden["outputs"][0], np.float32).reshape(32, 32)
    expected = np.clip(np.floor((image + 1) * np.float32(127.5) + np.float32(0.5)), 0, 255)
    assert np.array_equal(rows[:, 1:], expected)
    assert len(list((shipped / "golden").glob("seed-*.png"))) == 8


def test_discriminator_declares_its_threshold_and_preprocessing(shipped):
    discriminator = manifest(shipped.parent.parent / "began-discriminator" / "1")
    assert discriminator["scoring"]["threshold"] > 0
    assert discriminator["preprocessing"]["content_size"] == 28
    assert discriminator["preprocessing"]["border"] == 2


def test_report_leads_with_a_grid_per_gamma_and_reports_both_ood_directions(shipped):
    report = (shipped / "report.md").read_text()
    for gamma in ("0.5", "0.75", "1.0"):
        assert f"| gamma {gamma} |" in report and f"![mnist-gamma-{gamma}-3-steps]" in report
    assert "![fashion-mnist-gamma-1.0-3-steps]" in report, "the reverse run's samples"
    assert "k_t was above 0 in" in report and "L(G(z)) / L(x) averaged" in report
    assert report.index("![") < report.index("## M over training")
    assert "| mnist |" in report and "| fashion-mnist |" in report
    for figure in ("m_over_training.png", "interpolations.png", "nearest_training_images.png"):
        assert (shipped / figure).stat().st_size > 0
