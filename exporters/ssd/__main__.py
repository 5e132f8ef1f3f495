"""Command line: ``python -m exporters.ssd train|export|report|all [options]``.

``train`` trains the shipped SSD and, unless ``--ablation-steps 0``, the ablation pair: the
paper's hard negative mining (3:1) against keeping every negative, both for the same shorter
budget from the same seed. ``all`` runs train, export and report, for ``make models``.
"""

import argparse
import sys
import time
from dataclasses import replace

from exporters.common.progress import StepProgress
from exporters.common.cli import build_parser, run
from exporters.shapes.scenes import SceneConfig
from exporters.ssd.checkpoint import save_run
from exporters.ssd.data import load_split
from exporters.ssd.export import export
from exporters.ssd.report import write_report
from exporters.ssd.training import TrainingConfig, train_and_evaluate

DEFAULT_WORK_DIR = "build/ssd"
DEFAULT_OUT_DIR = "models/ssd/1"
ABLATION_VARIANTS = {"hard_negative_mining": 3, "all_negatives": None}


def main(argv=None):
    run(_parser().parse_args(argv), train, export, write_report)


def train(args):
    scenes = SceneConfig(width=args.frame_size, height=args.frame_size)
    training = TrainingConfig(
        input_size=args.input_size, width=args.width, steps=args.steps,
        batch_size=args.batch_size, learning_rate=args.learning_rate,
        warmup_steps=min(args.warmup_steps, args.steps), seed=args.seed,
    )
    sizes = {"train": args.train_scenes, "validation": args.validation_scenes,
             "test": args.test_scenes}
    started = time.monotonic()
    splits = {name: load_split(scenes, args.seed, name, count) for name, count in sizes.items()}
    print(f"generated {sizes} scenes in {time.monotonic() - started:.1f} s", flush=True)
    evaluation = {"validation": splits["validation"], "test": splits["test"]}

    model, metrics = train_and_evaluate(splits["train"], evaluation, training,
                                        _progress("ssd", training.steps))
    print(f"shipped: test mAP@0.5 {metrics['test']['mAP']:.4f} "
          f"(AP {_rounded(metrics['test']['AP'])}), validation mAP@0.5 "
          f"{metrics['validation']['mAP']:.4f}, {metrics['training_seconds']} s", flush=True)

    ablation = {"steps": args.ablation_steps, "variants": {}}
    if args.ablation_steps > 0:
        for name, negatives in ABLATION_VARIANTS.items():
            variant = replace(training, steps=args.ablation_steps, negatives_per_positive=negatives,
                              warmup_steps=min(training.warmup_steps, args.ablation_steps))
            _, variant_metrics = train_and_evaluate(
                splits["train"], {"test": splits["test"]}, variant,
                _progress(f"ablation {name}", variant.steps))
            variant_metrics["negatives_per_positive"] = negatives
            ablation["variants"][name] = variant_metrics
            print(f"ablation {name}: test mAP@0.5 {variant_metrics['test']['mAP']:.4f} "
                  f"(AP {_rounded(variant_metrics['test']['AP'])}), "
                  f"{variant_metrics['training_seconds']} s", flush=True)
    metrics["ablation"] = ablation
    save_run(args.work, model, scenes, training, sizes, metrics)


def _rounded(values):
    return [round(value, 4) for value in values]


def _progress(label, steps):
    """Step, losses, rate and ETA: one redrawn line on a terminal, plain lines in a log."""
    progress = StepProgress(label, steps)
    return lambda step, losses: progress.update(
        step, loss=losses["total"], confidence=losses["confidence"],
        localisation=losses["localisation"])


def _parser():
    defaults = TrainingConfig()
    training = argparse.ArgumentParser(add_help=False)
    group = training.add_argument_group("data")
    group.add_argument("--frame-size", type=int, default=SceneConfig().width,
                       help="side of the square source frames in pixels")
    group.add_argument("--train-scenes", type=int, default=4000)
    group.add_argument("--validation-scenes", type=int, default=300)
    group.add_argument("--test-scenes", type=int, default=500)
    group = training.add_argument_group("model and optimiser")
    group.add_argument("--input-size", type=int, default=defaults.input_size,
                       help="side of the network input; the frame is resized to it")
    group.add_argument("--width", type=int, default=defaults.width,
                       help="channels at stride 4 (twice that from stride 8)")
    group.add_argument("--steps", type=int, default=defaults.steps)
    group.add_argument("--batch-size", type=int, default=defaults.batch_size)
    group.add_argument("--learning-rate", type=float, default=defaults.learning_rate)
    group.add_argument("--warmup-steps", type=int, default=defaults.warmup_steps)
    group.add_argument("--ablation-steps", type=int, default=1000,
                       help="steps of each ablation variant; 0 skips the ablation")

    return build_parser("python -m exporters.ssd", __doc__, DEFAULT_WORK_DIR, DEFAULT_OUT_DIR, training,
                        train_help="train the SSD and the ablation pair",
                        export_help="write model.onnx, model.json, golden.json and golden/")


if __name__ == "__main__":
    sys.exit(main())
