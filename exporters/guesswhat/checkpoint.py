"""The work directory a training run leaves for export and report: weights and metrics.

The game config, seed and split sizes are kept with the weights, so export and report can
regenerate the held-out games instead of storing them.
"""

from exporters.common.checkpoint import load_run
from exporters.common.checkpoint import save_run as save_work_dir
from exporters.guesswhat.game import GameConfig
from exporters.guesswhat.training import TrainingConfig, build_models

# The supervised QGen is kept for the report's comparison; the REINFORCE one is shipped.
MODEL_NAMES = ("oracle", "guesser", "qgen", "qgen_reinforce")


def save_run(work_dir, models, game, training, sizes, metrics):
    save_work_dir(work_dir, {name: models[name].state_dict() for name in MODEL_NAMES},
                  {"game": game, "training": training}, sizes, metrics)


def load_checkpoint(work_dir):
    """{name: model in eval mode}, the TrainingConfig, the GameConfig and the split sizes."""
    checkpoint = load_run(work_dir)
    training = TrainingConfig(**checkpoint["training"])
    built = build_models(training)
    built["qgen_reinforce"] = build_models(training)["qgen"]
    models = {}
    for name in MODEL_NAMES:
        model = built[name]
        model.load_state_dict(checkpoint["weights"][name])
        models[name] = model.eval()
    return models, training, GameConfig(**checkpoint["game"]), checkpoint["sizes"]
