"""Command line: ``python -m exporters.maskrcnn train|export|report|all [options]``.

``train`` trains the shipped Mask R-CNN (RoIAlign) and, unless ``--ablation-steps 0``, the
paper's RoIAlign vs RoIPool ablation: the same model with RoIPool in both heads, same data, seed
and budget. With two or more threads the two runs train at once in two processes, each with half
the threads. ``--init-from`` continues an earlier run's weights with a fresh schedule (the shipped model:
1,000 steps with the ablation, then 1,000 more from there). ``all`` runs train, export and
report, for ``make models``.
"""

import argparse
import multiprocessing
import sys
from dataclasses import replace

import torch

from exporters.common.checkpoint import load_metrics, save_run
from exporters.common.cli import build_parser, run
from exporters.maskrcnn.training import TrainingConfig, train_variant
from exporters.shapes.scenes import SceneConfig

DEFAULT_WORK_DIR = "build/maskrcnn"
DEFAULT_OUT_DIR = "models/maskrcnn/1"


def main(argv=None):
    from exporters.maskrcnn.export import export
    from exporters.maskrcnn.report import write_report

    run(_parser().parse_args(argv), train, export, write_report)


def scene_config(args):
    return SceneConfig(width=args.frame_size, height=args.frame_size, min_size=args.min_size)


def train(args):
    scenes = scene_config(args)
    training = TrainingConfig(input_size=args.input_size, width=args.width, steps=args.steps,
                              batch_size=args.batch_size, learning_rate=args.learning_rate,
                              warmup_steps=min(args.warmup_steps, args.steps), seed=args.seed,
                              init_from=args.init_from)
    sizes = {"train": args.train_scenes, "test": args.test_scenes}
    jobs = [("align", training)]
    if args.ablation_steps > 0:
        jobs.append(("pool", replace(training, pooler="pool", steps=args.ablation_steps,
                                     warmup_steps=min(training.warmup_steps, args.ablation_steps))))
    threads = torch.get_num_threads()
    if len(jobs) > 1 and threads >= 2:
        context = multiprocessing.get_context("spawn")
        with context.Pool(len(jobs)) as pool:
            results = pool.starmap(train_variant, [(name, config, scenes, sizes, threads // 2)
                                                for name, config in jobs])
    else:
        results = [train_variant(name, config, scenes, sizes, threads) for name, config in jobs]
    (_, weights, metrics), variants = results[0], results[1:]
    if variants or not args.init_from:
        metrics["ablation"] = {
            "steps": args.ablation_steps,
            "variants": {"align": {key: metrics[key] for key in ("test", "training_seconds")},
                         **{name: variant for name, _, variant in variants}},
        }
    else:
        # A warm-started run keeps the ablation of the run it started from.
        metrics["ablation"] = load_metrics(args.init_from)["ablation"]
    if args.init_from:
        earlier = load_metrics(args.init_from)
        metrics["warm_start"] = {"from": args.init_from, "steps": earlier["training"]["steps"],
                                 "learning_rate": earlier["training"]["learning_rate"],
                                 "training_seconds": earlier["training_seconds"],
                                 "test": earlier["test"]}
    save_run(args.work, weights, {"scenes": scenes, "training": training}, sizes, metrics)


def _parser():
    defaults = TrainingConfig()
    training = argparse.ArgumentParser(add_help=False)
    group = training.add_argument_group("data")
    group.add_argument("--frame-size", type=int, default=SceneConfig().width,
                       help="side of the square source frames in pixels")
    group.add_argument("--min-size", type=float, default=0.12,
                       help="smallest shape, circumscribed diameter as a fraction of the frame")
    group.add_argument("--train-scenes", type=int, default=1000)
    group.add_argument("--test-scenes", type=int, default=200)
    group = training.add_argument_group("model and optimiser")
    group.add_argument("--input-size", type=int, default=defaults.input_size,
                       help="side of the network input; the frame is resized to it")
    group.add_argument("--width", type=int, default=defaults.width, help="backbone channels")
    group.add_argument("--steps", type=int, default=defaults.steps)
    group.add_argument("--batch-size", type=int, default=defaults.batch_size)
    group.add_argument("--learning-rate", type=float, default=defaults.learning_rate)
    group.add_argument("--warmup-steps", type=int, default=defaults.warmup_steps)
    group.add_argument("--init-from", default="",
                       help="work directory of an earlier run to start from (warm start); with "
                            "--ablation-steps 0 its ablation is kept")
    group.add_argument("--ablation-steps", type=int, default=defaults.steps,
                       help="steps of the RoIPool variant; 0 skips the ablation")
    return build_parser("python -m exporters.maskrcnn", __doc__, DEFAULT_WORK_DIR,
                        DEFAULT_OUT_DIR, training,
                        train_help="train the Mask R-CNN and the RoIPool ablation",
                        export_help="write model.onnx, model.json, golden.json and golden/")


if __name__ == "__main__":
    sys.exit(main())
