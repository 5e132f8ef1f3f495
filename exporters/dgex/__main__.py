"""Command line: ``python -m exporters.dgex train|export|report|all [options]``.

``all`` runs train, export and report in one call, for the Makefile's ``make models``.
"""

import argparse
import sys
import time

from exporters.common.progress import StepProgress
from exporters.common.cli import build_parser, run
from exporters.dgex.checkpoint import save_run
from exporters.dgex.data import LANDMARK_GENES, TARGET_GENES, GeneratorConfig, generate
from exporters.dgex.export import export
from exporters.dgex.report import paper_ordering_holds, write_report
from exporters.dgex.training import TrainingConfig, train_and_evaluate

DEFAULT_WORK_DIR = "build/dgex"
DEFAULT_OUT_DIR = "models/dgex/1"


def main(argv=None):
    run(_parser().parse_args(argv), train, export, write_report)


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
    progress = StepProgress("dgex epochs", training.max_epochs)
    trained, metrics, per_gene = train_and_evaluate(
        dataset, training,
        lambda epoch, validation_mae: progress.update(epoch, validation_mae=validation_mae))
    save_run(args.work, trained, generator, training, sizes, metrics, per_gene)
    mae = metrics["mae"]
    print(
        f"test MAE: D-GEX {mae['dgex']:.4f}, linear {mae['linear']:.4f}, KNN {mae['knn']:.4f} "
        f"(k={metrics['knn_k']}); paper ordering holds: {paper_ordering_holds(mae)}; "
        f"{metrics['epochs']} epochs in {metrics['dgex_training_seconds']} s",
        flush=True,
    )


def _parser():
    defaults_data, defaults_training = GeneratorConfig(), TrainingConfig()
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

    return build_parser("python -m exporters.dgex", __doc__, DEFAULT_WORK_DIR, DEFAULT_OUT_DIR, training,
                        train_help="train D-GEX and baselines",
                        export_help="write model.onnx, model.json, golden.json")


if __name__ == "__main__":
    sys.exit(main())
