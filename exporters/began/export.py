"""Writes the shipped run as two served models: ``began-generator`` (latent -> image) and
``began-discriminator`` (image -> reconstruction error, the frame score), each with model.json
and golden.json; the generator also gets ``golden/seed-<s>.png``, the PNG bytes the engine must
reproduce for a request with seed 0 (``png.py`` and ``latent.py`` say how).
"""

from pathlib import Path

import numpy as np
import onnx
import torch

from exporters.began import data
from exporters.began.latent import latents_for_seeds
from exporters.began.model import IMAGE_SIZE, FrameScorer
from exporters.began.png import encode_grey, to_pixels
from exporters.began.runs import load_metrics, load_models, shipped_run
from exporters.common.golden import GOLDEN_FILE, write_golden
from exporters.common.manifest import MODEL_FILE, write_manifest
from exporters.common.onnx_export import OPSET, export_with_dynamic_batch

GENERATOR = "began-generator"
DISCRIMINATOR = "began-discriminator"
# A family module reads one input topic, so generation and frame scoring are two modules of the
# Java package family/began (plain "began" would clash with the English word in the engine's
# family-boundary check).
GENERATION_FAMILY, SCORING_FAMILY = "began-images", "began-frames"
LATENT_INPUT, IMAGE_OUTPUT = "latent", "image"
IMAGE_INPUT, SCORE_OUTPUT = "image", "score"
GOLDEN_SEEDS = 8
GOLDEN_PNG_DIR = "golden"
# Same float32 graph through torch and ONNX Runtime kernels: differences in the last bits.
GOLDEN_TOLERANCE = {"atol": 1e-4, "rtol": 1e-4}
# A pixel whose scaled value lies this close to a rounding boundary could round the other way
# under another kernel's last-bit differences; the export counts them (see ``fragile_pixels``).
FRAGILE_MARGIN = 1e-3


def export(work_dir, out_dir, version):
    name = shipped_run(work_dir)
    generator, discriminator, config = load_models(work_dir, name)
    metrics = load_metrics(work_dir, name)
    generator_dir = Path(out_dir)
    discriminator_dir = generator_dir.parent.parent / DISCRIMINATOR / generator_dir.name
    training = _training_summary(metrics, config)
    fragile = export_generator(generator, config["hidden"], generator_dir, version, training)
    export_discriminator(discriminator, metrics, discriminator_dir, version, training)
    print(f"golden PNGs: {fragile} pixels within {FRAGILE_MARGIN} of a rounding boundary")
    return generator_dir


def export_generator(generator, latent_dim, out_dir, version, training):
    """Returns how many golden pixels are fragile (should be 0 for byte-exact parity)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    export_with_dynamic_batch(generator, torch.zeros(2, latent_dim), out_dir / MODEL_FILE,
                              LATENT_INPUT, IMAGE_OUTPUT)
    fix_output_dims(out_dir / MODEL_FILE, [1, IMAGE_SIZE, IMAGE_SIZE])
    latents = latents_for_seeds(0, GOLDEN_SEEDS, latent_dim)
    with torch.no_grad():
        images = generator(torch.from_numpy(latents)).numpy()
    write_golden(out_dir, LATENT_INPUT, IMAGE_OUTPUT, latents[:4],
                 images[:4].reshape(4, -1), **GOLDEN_TOLERANCE)
    png_dir = out_dir / GOLDEN_PNG_DIR
    png_dir.mkdir(exist_ok=True)
    for seed, image in enumerate(images):
        (png_dir / f"seed-{seed}.png").write_bytes(encode_grey(to_pixels(image[0])))
    write_manifest(out_dir, {
        "name": GENERATOR, "version": version, "family": GENERATION_FAMILY,
        "inputs": [{"name": LATENT_INPUT, "dtype": "float32", "shape": [-1, latent_dim]}],
        "outputs": [{"name": IMAGE_OUTPUT, "dtype": "float32",
                     "shape": [-1, 1, IMAGE_SIZE, IMAGE_SIZE]}],
        "latent": {"dim": latent_dim, "prior": "uniform [-1, 1)",
                   "sampler": "splitmix64-top24: exporters/began/latent.py"},
        "postprocessing": {"pixels": "clamp(floor((x + 1) * 127.5 + 0.5), 0, 255) in float32",
                           "png": "grey 8-bit, stored deflate: exporters/began/png.py"},
        "golden_png": {"dir": GOLDEN_PNG_DIR, "first_seed": 0, "count": GOLDEN_SEEDS},
        "training": training,
        "golden": GOLDEN_FILE,
    })
    return fragile_pixels(images)


def export_discriminator(discriminator, metrics, out_dir, version, training):
    out_dir.mkdir(parents=True, exist_ok=True)
    example = torch.zeros(2, 1, IMAGE_SIZE, IMAGE_SIZE)
    export_with_dynamic_batch(FrameScorer(discriminator), example, out_dir / MODEL_FILE,
                              IMAGE_INPUT, SCORE_OUTPUT)
    images = data.to_model_input(data.load_sample(training["dataset"])[:4])
    with torch.no_grad():
        scores = FrameScorer(discriminator)(torch.from_numpy(images)).numpy()
    write_golden(out_dir, IMAGE_INPUT, SCORE_OUTPUT, images.reshape(4, -1), scores,
                 **GOLDEN_TOLERANCE)
    write_manifest(out_dir, {
        "name": DISCRIMINATOR, "version": version, "family": SCORING_FAMILY,
        "inputs": [{"name": IMAGE_INPUT, "dtype": "float32",
                    "shape": [-1, 1, IMAGE_SIZE, IMAGE_SIZE]}],
        "outputs": [{"name": SCORE_OUTPUT, "dtype": "float32", "shape": [-1, 1]}],
        "preprocessing": {
            "grey": "mean of R, G and B",
            "content_size": data.SOURCE_SIZE,
            "border": data.PAD,
            "scale": 2.0 / 255.0,
            "offset": -1.0,
            "description": "grey levels resized (bilinear) to content_size, scaled by "
                           "scale and offset into [-1, 1], then a border of -1 (black) on every "
                           "side: the training images' 28x28 padded to 32x32",
        },
        "scoring": {
            "threshold": metrics["threshold"],
            "threshold_percentile": metrics["threshold_percentile"],
            "threshold_of": "reconstruction errors of training images",
            "roc_auc": metrics["roc_auc"],
            "ood_set": metrics["ood_set"],
        },
        "training": training,
        "golden": GOLDEN_FILE,
    })


def fix_output_dims(path, dims):
    """Writes the graph output's non-batch dimensions as the fixed sizes they are: torch's
    exporter leaves them symbolic after a reshape, and the runtime preallocates fixed outputs.
    ``full_check`` re-runs shape inference, so a wrong size fails here, not in the engine."""
    model = onnx.load(str(path))
    for dim, size in zip(model.graph.output[0].type.tensor_type.shape.dim[1:], dims):
        dim.dim_value = size
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, str(path))


def fragile_pixels(images):
    scaled = (np.asarray(images, np.float32) + np.float32(1)) * np.float32(127.5) + np.float32(0.5)
    inside = (scaled > 0) & (scaled < 256)
    return int(np.sum(inside & (np.abs(scaled - np.rint(scaled)) < FRAGILE_MARGIN)))


def _training_summary(metrics, config):
    return {
        "dataset": metrics["dataset"], "gamma": config["gamma"], "steps": config["steps"],
        "batch_size": config["batch_size"], "hidden": config["hidden"],
        "filters": config["filters"], "learning_rate": config["learning_rate"],
        "lambda_k": config["lambda_k"], "nearest_floor": config.get("nearest_floor", 0.0),
        "diversity_floor": config.get("diversity_floor", 0.0),
        "pulling_away": config.get("pulling_away", 0.0),
        "pyramid": config.get("pyramid", False),
        "latent_constraint": config.get("latent_constraint", 0.0),
        "seed": config["seed"], "seconds": metrics["seconds"],
        "diversity_samples": metrics["diversity_samples"],
        "diversity_real": metrics["diversity_real"],
        "m_start": metrics["m_start"], "m_end": metrics["m_end"], "opset": OPSET,
        "report": "models/began-generator/<version>/report.md",
    }
