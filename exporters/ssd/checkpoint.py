"""The work directory a training run leaves for export and report: weights and metrics.

The scene generator config and split sizes are kept with the weights, so export and report can
regenerate the held-out test split instead of storing images.
"""

from exporters.common.checkpoint import load_run
from exporters.common.checkpoint import save_run as save_work_dir
from exporters.shapes.scenes import SceneConfig
from exporters.ssd.training import TrainingConfig, build_model


def save_run(work_dir, model, scenes, training, sizes, metrics):
    save_work_dir(work_dir, model.state_dict(), {"scenes": scenes, "training": training}, sizes,
                  metrics)


def load_checkpoint(work_dir):
    """The trained model in eval mode, its TrainingConfig and the scenes' SceneConfig."""
    checkpoint = load_run(work_dir)
    training = TrainingConfig(**checkpoint["training"])
    model = build_model(training)
    model.load_state_dict(checkpoint["weights"])
    model.eval()
    return model, training, SceneConfig(**checkpoint["scenes"])
