"""Command line: ``python -m exporters.guesswhat train|export|report|all [options]``.

``train`` trains the oracle, the guesser and QGen on scripted dialogues, fine-tunes QGen with
REINFORCE in self-play and scores both QGens on the ``new_objects`` and ``new_scenes`` splits.
``export`` writes ``--out`` (the QGen version directory, REINFORCE QGen shipped) and the oracle
and guesser beside it (``models/guesswhat-{oracle,guesser}/1`` for the default); ``report``
writes report.md and the reward figure into ``--out``; ``all`` runs the three steps.
"""

import argparse
import sys
import time

from exporters.common.cli import build_parser, run
from exporters.guesswhat.checkpoint import save_run
from exporters.guesswhat.export import export
from exporters.guesswhat.game import GameConfig, generate_split
from exporters.guesswhat.report import write_report
from exporters.guesswhat.training import TrainingConfig, train_all

DEFAULT_WORK_DIR = "build/guesswhat"
# The QGen version directory; oracle and guesser go to the sibling families (export.version_dirs).
DEFAULT_OUT_DIR = "models/guesswhat-qgen/1"


def main(argv=None):
    run(_parser().parse_args(argv), train, export, write_report)


def train(args):
    game = GameConfig(noise=args.noise, early_stop=args.early_stop)
    training = TrainingConfig(
        embedding=args.embedding, hidden=args.hidden, scene=args.scene,
        batch_size=args.batch_size, learning_rate=args.learning_rate,
        oracle_epochs=args.oracle_epochs, qgen_epochs=args.qgen_epochs,
        guesser_epochs=args.guesser_epochs, reinforce_steps=args.reinforce_steps,
        reinforce_batch=args.reinforce_batch,
        reinforce_learning_rate=args.reinforce_learning_rate, seed=args.seed,
    )
    sizes = {"train": args.train_games, "new_objects": args.evaluation_games,
             "new_scenes": args.evaluation_games}
    started = time.monotonic()
    splits = {name: generate_split(game, args.seed, name, count) for name, count in sizes.items()}
    print(f"generated {sizes} games in {time.monotonic() - started:.1f} s", flush=True)
    models, metrics = train_all(splits, training, lambda line: print(line, flush=True))
    metrics["training_seconds"] = round(time.monotonic() - started, 1)
    save_run(args.work, models, game, training, sizes, metrics)


def _parser():
    defaults, game = TrainingConfig(), GameConfig()
    training = argparse.ArgumentParser(add_help=False)
    group = training.add_argument_group("data")
    group.add_argument("--train-games", type=int, default=16000)
    group.add_argument("--evaluation-games", type=int, default=1000,
                       help="games in each of new_objects and new_scenes")
    group.add_argument("--noise", type=float, default=game.noise,
                       help="probability the scripted player asks a random question")
    group.add_argument("--early-stop", type=float, default=game.early_stop,
                       help="probability per turn the scripted player stops at <= 3 candidates")
    group = training.add_argument_group("models and optimiser")
    group.add_argument("--embedding", type=int, default=defaults.embedding)
    group.add_argument("--hidden", type=int, default=defaults.hidden)
    group.add_argument("--scene", type=int, default=defaults.scene)
    group.add_argument("--batch-size", type=int, default=defaults.batch_size)
    group.add_argument("--learning-rate", type=float, default=defaults.learning_rate)
    group.add_argument("--oracle-epochs", type=int, default=defaults.oracle_epochs)
    group.add_argument("--qgen-epochs", type=int, default=defaults.qgen_epochs)
    group.add_argument("--guesser-epochs", type=int, default=defaults.guesser_epochs)
    group.add_argument("--reinforce-steps", type=int, default=defaults.reinforce_steps)
    group.add_argument("--reinforce-batch", type=int, default=defaults.reinforce_batch)
    group.add_argument("--reinforce-learning-rate", type=float,
                       default=defaults.reinforce_learning_rate)

    return build_parser("python -m exporters.guesswhat", __doc__, DEFAULT_WORK_DIR, DEFAULT_OUT_DIR,
                        training, train_help="train oracle, guesser, QGen, then REINFORCE",
                        export_help="write the QGen, oracle and guesser model directories")


if __name__ == "__main__":
    sys.exit(main())
