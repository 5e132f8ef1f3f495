"""Command line: ``python -m exporters.dgex train|export|report|all [options]``.

``all`` runs train, export and report in one call, for the Makefile's ``make models``.
"""

import argparse
import sys
import time
from pathlib import Path

from exporters.common.seeding import seed_everything
from exporters.common.threads import DEFAULT_THREADS, use_threads
from exporters.dgex.checkpoint import save_run
from exporters.dgex.data import LANDMARK_GENES, TARGET_GENES, GeneratorConfig, generate
from exporters.dgex.export import export
from exporters.dgex.report import paper_ordering_holds, write_report
from exporters.dgex.training import TrainingConfig, train_and_evaluate

DEFAULT_WORK_DIR = "build/dgex"
DEFAULT_OUT_DIR = "models/dgex/1"


def main(argv=None):
    args = _parser().parse_args(argv)
    use_threads(args.threads)
    seed_everything(args.seed)
    if args.command in ("train", "all"):
        train(args)
    if args.command in ("export", "all"):
        print(f"exported to {export(args.work, args.out, model_version(args))}")
    if args.command in ("report", "all"):
        print(f"report at {write_report(args.work, args.out)}")


def model_version(args):
    """``--version``, else the name of a Triton-style ``models/dgex/<version>`` directory.

    Any other directory (a scratch export, the paper-size model) is version 1, so long runs never
    fail at the end over a directory name.
    """
    if args.version is not None:
        return args.version
    name = Path(args.out).name
    return int(name) if name.isdigit() else 1


def train(args):
    generator = GeneratorConfig(
        landmarks=args.landmarks, targets=args.targets, programs=args.programs,
        interactions=args.interactions, noise=args.noise, seed=args.seed,
    )
    training = TrainingConfig(
        hidden=args.hidden, layers=args.layers, dropout=args.dropout,
        learning_rate=args.learning_rate, batch_size=args.batch_size,
        max_epochs=args.max_epochs, patience=args.patience, seed=args.seed,
    )
    sizes = {"train": args.train_samples, "validation": args.validation_samples,
             "test": args.test_samples}
    started = time.monotonic()
    dataset = generate(generator, sizes)
    print(f"generated {sizes} in {time.monotonic() - started:.1f} s", flush=True)
    trained, metrics, per_gene = train_and_evaluate(dataset, training, _print_epoch)
    save_run(args.work, trained, generator, training, sizes, metrics, per_gene)
    mae = metrics["mae"]
    print(
        f"test MAE: D-GEX {mae['dgex']:.4f}, linear {mae['linear']:.4f}, KNN {mae['knn']:.4f} "
        f"(k={metrics['knn_k']}); paper ordering holds: {paper_ordering_holds(mae)}; "
        f"{metrics['epochs']} epochs in {metrics['dgex_training_seconds']} s",
        flush=True,
    )


def _print_epoch(epoch, validation_mae):
    print(f"epoch {epoch}: validation MAE {validation_mae:.4f}", flush=True)


def _parser():
    defaults_data, defaults_training = GeneratorConfig(), TrainingConfig()
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--work-dir", "--work", dest="work", default=DEFAULT_WORK_DIR,
                        help="checkpoint and metrics directory (default: %(default)s)")
    common.add_argument("--out", default=DEFAULT_OUT_DIR,
                        help="model version directory to export to (default: %(default)s)")
    common.add_argument("--version", type=int, default=None,
                        help="model version in model.json (default: the --out directory name "
                             "when it is an integer, else 1)")
    common.add_argument("--seed", type=int, default=0)
    common.add_argument("--threads", type=int, default=DEFAULT_THREADS)

    training = argparse.ArgumentParser(add_help=False)
    group = training.add_argument_group("data")
    group.add_argument("--landmarks", type=int, default=LANDMARK_GENES)
    group.add_argument("--targets", type=int, default=TARGET_GENES)
    group.add_argument("--programs", type=int, default=defaults_data.programs)
    group.add_argument("--interactions", type=int, default=defaults_data.interactions)
    group.add_argument("--noise", type=float, default=defaults_data.noise)
    group.add_argument("--train-samples", type=int, default=20000)
    group.add_argument("--validation-samples", type=int, default=2000)
    group.add_argument("--test-samples", type=int, default=2000)
    group = training.add_argument_group("model and optimiser")
    group.add_argument("--hidden", type=int, default=defaults_training.hidden,
                       help="units per hidden layer; the paper's largest is 3000")
    group.add_argument("--layers", type=int, default=defaults_training.layers)
    group.add_argument("--dropout", type=float, default=defaults_training.dropout)
    group.add_argument("--learning-rate", type=float, default=defaults_training.learning_rate)
    group.add_argument("--batch-size", type=int, default=defaults_training.batch_size)
    group.add_argument("--max-epochs", type=int, default=defaults_training.max_epochs)
    group.add_argument("--patience", type=int, default=defaults_training.patience)

    parser = argparse.ArgumentParser(prog="python -m exporters.dgex", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("train", parents=[common, training], help="train D-GEX and baselines")
    commands.add_parser("export", parents=[common],
                        help="write model.onnx, model.json, golden.json")
    commands.add_parser("report", parents=[common], help="write report.md and figures")
    commands.add_parser("all", parents=[common, training], help="train, export and report")
    return parser


if __name__ == "__main__":
    sys.exit(main())
