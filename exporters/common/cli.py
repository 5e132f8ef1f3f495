"""The command line every family's trainer shares: ``train|export|report|all`` over a work
directory (checkpoints, metrics) and a Triton-style model version directory."""

import argparse
from pathlib import Path

from exporters.common.seeding import seed_everything
from exporters.common.threads import DEFAULT_THREADS, use_threads


def build_parser(prog, description, default_work, default_out, training, train_help, export_help):
    """``train`` and ``all`` take the family's ``training`` options; every command the common ones."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--work-dir", "--work", dest="work", default=default_work,
                        help="checkpoint and metrics directory (default: %(default)s)")
    common.add_argument("--out", default=default_out,
                        help="model version directory to export to (default: %(default)s)")
    common.add_argument("--version", type=int, default=None,
                        help="model version in model.json (default: the --out directory name "
                             "when it is an integer, else 1)")
    common.add_argument("--seed", type=int, default=0)
    common.add_argument("--threads", type=int, default=DEFAULT_THREADS)
    parser = argparse.ArgumentParser(prog=prog, description=description)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("train", parents=[common, training], help=train_help)
    commands.add_parser("export", parents=[common], help=export_help)
    commands.add_parser("report", parents=[common], help="write report.md and figures")
    commands.add_parser("all", parents=[common, training], help="train, export and report")
    return parser


def run(args, train, export, write_report):
    """Seeds and sizes the thread pool, then runs the requested steps in order."""
    use_threads(args.threads)
    seed_everything(args.seed)
    if args.command in ("train", "all"):
        train(args)
    if args.command in ("export", "all"):
        print(f"exported to {export(args.work, args.out, model_version(args))}")
    if args.command in ("report", "all"):
        print(f"report at {write_report(args.work, args.out)}")


def model_version(args):
    """``--version``, else the name of a Triton-style ``models/<name>/<version>`` directory.

    Any other directory (a scratch export, the paper-size model) is version 1, so long runs never
    fail at the end over a directory name.
    """
    if args.version is not None:
        return args.version
    name = Path(args.out).name
    return int(name) if name.isdigit() else 1
